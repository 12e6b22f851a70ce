"""Format-neutral question model, scoring, and QTI 2.1/2.2/3.0 reading and writing.

The public names are imported from their modules on first use (PEP 562): a worker
process that only compresses ZIP entries (``qti.zipwriter`` on ``qti.parallel``)
starts without loading lxml and the readers.
"""

import importlib

#: Each public name and the module that defines it.
_EXPORTS = {
    "QUESTION_TYPES": "qti.items",
    "Choice": "qti.items",
    "ImportResult": "qti.importing",
    "Item": "qti.items",
    "Media": "qti.items",
    "NumericAnswer": "qti.items",
    "PackageLimits": "qti.zipsafe",
    "QtiError": "qti.errors",
    "Score": "qti.scoring",
    "Statement": "qti.items",
    "UnsupportedItem": "qti.errors",
    "iter_package": "qti.importing",
    "parse_xml": "qti.parser",
    "read_item": "qti.reader",
    "read_item_file": "qti.importing",
    "read_package": "qti.importing",
    "score": "qti.scoring",
    "write_item": "qti.writer",
    "write_package": "qti.package",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import a public name from its module the first time it is asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'qti' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
