"""Item statistics: facility, point-biserial, upper/lower 27 %, distractors, alpha, flags."""

import math
from collections import Counter
from statistics import fmean, pvariance

#: Share of the students in each of the upper and lower groups (Kelley's 27 %).
GROUP_SHARE = 0.27


def facility(item_scores: list[float]) -> float | None:
    """Mean score of the item as a fraction of its points (the p-value)."""
    return fmean(item_scores) if item_scores else None


def correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None when either side does not vary."""
    if len(xs) < 2:
        return None
    mx, my = fmean(xs), fmean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def point_biserial(item_scores: list[float], totals: list[float]) -> float | None:
    """Correlation of the item with the rest of the test (total without the item)."""
    rest = [t - s for s, t in zip(item_scores, totals, strict=True)]
    return correlation(item_scores, rest)


def upper_lower(item_scores: list[float], totals: list[float]) -> float | None:
    """Facility in the top 27 % minus facility in the bottom 27 % by total score."""
    n = len(totals)
    size = round(GROUP_SHARE * n)
    if size < 1 or 2 * size > n:
        return None
    ranked = sorted(range(n), key=lambda i: (totals[i], i))
    lower = [item_scores[i] for i in ranked[:size]]
    upper = [item_scores[i] for i in ranked[-size:]]
    return fmean(upper) - fmean(lower)


def cronbach_alpha(matrix: list[list[float]]) -> float | None:
    """Cronbach's alpha of a students × items score matrix (population variances)."""
    if len(matrix) < 2 or len(matrix[0]) < 2:
        return None
    k = len(matrix[0])
    item_var = sum(pvariance([row[j] for row in matrix]) for j in range(k))
    total_var = pvariance([sum(row) for row in matrix])
    if total_var == 0:
        return None
    return k / (k - 1) * (1 - item_var / total_var)


def option_counts(item: dict, responses: list) -> dict[str, int]:
    """How often each option (or statement verdict) was chosen; "omitted" counts blanks."""
    counts: Counter = Counter()
    for response in responses:
        if response in (None, "", [], {}):
            counts["omitted"] += 1
        elif isinstance(response, list):
            counts.update(str(r) for r in response)
        elif isinstance(response, dict):
            counts.update(f"{k}:{'Đ' if v else 'S'}" for k, v in response.items())
        elif item["type"] in ("single_choice", "true_false"):
            counts[str(response)] += 1
    keys = [c["id"] for c in item.get("choices", [])]
    if item["type"] == "true_false":
        keys = ["true", "false"]
    for s in item.get("statements", []):
        keys += [f"{s['id']}:Đ", f"{s['id']}:S"]
    return {**{k: counts.get(k, 0) for k in keys}, "omitted": counts.get("omitted", 0)}


def flags(item: dict, pbis, discrimination, counts: dict[str, int]) -> list[str]:
    """Warnings: negative discrimination, and distractors nobody chose."""
    out = []
    if (pbis is not None and pbis < 0) or (
        discrimination is not None and discrimination < 0
    ):
        out.append("negative_discrimination")
    if item["type"] in ("single_choice", "multiple_response"):
        correct = set(item.get("correct", []))
        unused = [
            c["id"]
            for c in item.get("choices", [])
            if c["id"] not in correct and counts.get(c["id"], 0) == 0
        ]
        out += [f"unused_distractor:{cid}" for cid in unused]
    return out


def item_report(item: dict, points, max_points, totals, responses) -> dict:
    """Every statistic of one item over the same students (points and total scores)."""
    fractions = [p / max_points if max_points else 0.0 for p in points]
    pbis = point_biserial(points, totals)
    disc = upper_lower(fractions, totals)
    counts = option_counts(item, responses)
    return {
        "n": len(points),
        "facility": _round(facility(fractions)),
        "point_biserial": _round(pbis),
        "discrimination": _round(disc),
        "options": counts,
        "flags": flags(item, pbis, disc, counts),
    }


def _round(value):
    return None if value is None else round(value, 4)
