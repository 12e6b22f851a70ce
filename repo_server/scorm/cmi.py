"""Read the CMI data a runtime commits (SCORM 1.2 or 2004) into report fields.

Pure: nested CMI JSON in (as scorm-again renders it), plain values out.
"""

import re

#: SCORM 1.2 caps ``cmi.suspend_data`` at 4,096 characters, 2004 (4th ed.) at 64,000.
SUSPEND_LIMITS = {"1.2": 4096, "2004": 64000}
_HMS = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")
_ISO = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
_ISO_SECONDS = (365 * 86400, 30 * 86400, 86400, 3600, 60, 1)
#: Values the 1.2 ``lesson_status`` takes → (completion, success).
LESSON_STATUS = {
    "passed": ("completed", "passed"),
    "failed": ("completed", "failed"),
    "completed": ("completed", "unknown"),
    "incomplete": ("incomplete", "unknown"),
    "browsed": ("incomplete", "unknown"),
    "not attempted": ("not attempted", "unknown"),
}


def summary(edition: str, cmi: dict) -> dict:
    """Return the report fields of a committed CMI tree."""
    if edition == "1.2":
        core = _dict(cmi.get("core"))
        score = _dict(core.get("score"))
        completion, success = LESSON_STATUS.get(
            str(core.get("lesson_status", "")), ("not attempted", "unknown")
        )
        location, exit_ = core.get("lesson_location", ""), core.get("exit", "")
        total = seconds(str(core.get("total_time", "")))
    else:
        score = _dict(cmi.get("score"))
        completion = _word(cmi.get("completion_status"), "unknown")
        success = _word(cmi.get("success_status"), "unknown")
        location, exit_ = cmi.get("location", ""), cmi.get("exit", "")
        total = seconds(str(cmi.get("total_time", "")))
    raw, top = _number(score.get("raw")), _number(score.get("max"))
    scaled = _number(score.get("scaled")) if edition != "1.2" else None
    if scaled is None and raw is not None:
        scaled = raw / top if top else raw / 100
    return {
        "completion_status": completion,
        "success_status": success,
        "score_raw": raw,
        "score_max": top,
        "score_scaled": scaled,
        "location": str(location or "")[:4000],
        "suspend_data": str(cmi.get("suspend_data") or ""),
        "exit": str(exit_ or ""),
        "total_seconds": total,
    }


def warnings(edition: str, suspend_data: str) -> list[str]:
    """Return the problems a commit shows (too long suspend_data for the version)."""
    limit = SUSPEND_LIMITS[edition]
    if len(suspend_data) <= limit:
        return []
    name = "SCORM 1.2" if edition == "1.2" else "SCORM 2004"
    return [
        f"cmi.suspend_data dài {len(suspend_data)} ký tự, vượt giới hạn {limit} của "
        f"{name}: LMS khác có thể cắt bớt, người học mất chỗ đang học."
    ]


def seconds(value: str) -> float:
    """Return the seconds of a 1.2 (``HHHH:MM:SS.SS``) or 2004 (``PT1H2M3S``) time."""
    value = value.strip()
    match = _HMS.match(value)
    if match:
        hours, minutes, secs = match.groups()
        return int(hours) * 3600 + int(minutes) * 60 + float(secs)
    match = _ISO.match(value)
    if match and value not in ("P", "PT"):
        return sum(
            float(part) * unit
            for part, unit in zip(match.groups(), _ISO_SECONDS, strict=True)
            if part
        )
    return 0.0


def flatten(cmi: dict, prefix: str = "cmi") -> dict[str, str]:
    """Return ``{"cmi.core.lesson_status": "…"}`` pairs of a nested CMI tree."""
    flat: dict[str, str] = {}
    for key, value in cmi.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name))
        elif isinstance(value, list):
            for index, entry in enumerate(value):
                if isinstance(entry, dict):
                    flat.update(flatten(entry, f"{name}.{index}"))
        elif value is not None:
            flat[name] = str(value)
    return flat


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _word(value, default: str) -> str:
    text = str(value or "").strip()
    return text[:16] if text else default


def _number(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
