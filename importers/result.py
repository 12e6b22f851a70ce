"""What a reader of teachers' files returns: items, drafts needing fixes, media files."""

from __future__ import annotations

from dataclasses import dataclass, field

from qti import ImportResult, Item, QtiError
from qti.text import clean_html


@dataclass
class ReadResult(ImportResult):
    """An ``ImportResult`` plus drafts (questions that need a fix) and embedded files.

    ``items`` hold questions that fit the model (their ``meta["problems"]`` are
    warnings); ``drafts`` hold (item dict, meta) of questions that do not fit yet,
    ``meta["problems"]`` saying why, so a preview can show them for fixing;
    ``files`` map the names the item HTML refers to → (MIME type, bytes).
    """

    drafts: list[tuple[dict, dict]] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def add(self, data: dict, meta: dict) -> None:
        """Add one parsed question: an item when it fits the model, else a draft."""
        meta.setdefault("problems", [])
        meta.setdefault("position", len(self.items) + len(self.drafts))
        label = meta.get("label", "")
        if meta.get("blocking"):
            self._draft(data, meta, label)
            return
        try:
            item = Item.from_dict(data)
        except QtiError as exc:
            meta["problems"].append(exc.message)
            self._draft(data, meta, label)
            return
        self.items.append((item, meta))

    def _draft(self, data: dict, meta: dict, label: str) -> None:
        self.drafts.append((sanitized(data), meta))
        self.problems.append((label, "; ".join(meta["problems"])))


def sanitized(data: dict) -> dict:
    """A draft's texts reduced to the safe HTML subset (items do it themselves)."""
    out = {**data}
    for key in ("stem", "explanation"):
        if isinstance(out.get(key), str):
            out[key] = clean_html(out[key])
    for key in ("choices", "statements"):
        if isinstance(out.get(key), list):
            out[key] = [
                {**c, "text": clean_html(str(c.get("text", "")))}
                for c in out[key]
                if isinstance(c, dict)
            ]
    return out


def number(text: str) -> float | None:
    """Read a number written the Vietnamese way ("-2,5", "1.000,5") or the English way."""
    text = text.strip().replace(" ", "").replace("\u2212", "-")
    if text.count(",") == 1 and "." in text and text.index(".") < text.index(","):
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
