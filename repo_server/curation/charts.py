"""Chart geometry for inline SVG (no external service): bars and a heat map."""

from dataclasses import dataclass

BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, PLOT_WIDTH = 18, 6, 120, 420


@dataclass
class Bar:
    """One bar: label, share, target, and where to draw them."""

    label: str
    share: float
    target: int
    y: int
    width: float
    target_x: float
    ok: bool
    link: str


def bars(cells) -> dict:
    """Horizontal bars of the covered share per subject × grade with the target mark."""
    rows = []
    for i, c in enumerate(cells):
        y = i * (BAR_HEIGHT + BAR_GAP)
        rows.append(
            Bar(
                f"{c.subject} {c.grade}",
                c.share,
                c.target,
                y,
                PLOT_WIDTH * min(c.share, 100) / 100,
                LABEL_WIDTH + PLOT_WIDTH * min(c.target, 100) / 100,
                c.share >= c.target,
                f"/coverage/{c.subject}/{c.grade}",
            )
        )
    height = max(1, len(rows)) * (BAR_HEIGHT + BAR_GAP)
    return {
        "rows": rows,
        "height": height,
        "label_width": LABEL_WIDTH,
        "plot_width": PLOT_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


def colour(share: float, target: int) -> str:
    """Red below half the target, amber below the target, green at or above it."""
    if share >= target:
        return "#2e7d32"
    if share >= target / 2:
        return "#f9a825"
    return "#c62828" if share > 0 else "#e0e0e0"


def heat_map(cells) -> dict:
    """Subjects as rows, grades as columns, each cell coloured by its share."""
    subjects = sorted({c.subject for c in cells})
    grades = sorted({c.grade for c in cells}, key=_grade_order)
    index = {(c.subject, c.grade): c for c in cells}
    grid = [
        [
            (
                g,
                index.get((s, g)),
                colour(index[(s, g)].share, index[(s, g)].target)
                if (s, g) in index
                else "#ffffff",
            )
            for g in grades
        ]
        for s in subjects
    ]
    return {"subjects": subjects, "grades": grades, "grid": grid, "cell": 34}


def _grade_order(code: str):
    return (0, int(code)) if code.isdigit() else (1, code)
