"""What a SCORM package is once read: version, metadata, table of contents, SCOs."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Versions we read, as stored: "1.2", "2004 2nd", "2004 3rd", "2004 4th".
VERSIONS = ("1.2", "2004 2nd", "2004 3rd", "2004 4th")


@dataclass(frozen=True)
class TocItem:
    """One ``<item>`` of the organisation: a launchable page or a folder of items."""

    identifier: str
    title: str
    #: Launch path inside the package (with the item's parameters), "" for folders.
    href: str = ""
    resource: str = ""
    #: "sco" (talks to the runtime API) or "asset" (a plain page).
    scorm_type: str = ""
    children: tuple[TocItem, ...] = ()
    visible: bool = True
    #: SCORM 1.2 ``adlcp:masteryscore`` (0–100), if given.
    mastery_score: float | None = None
    #: SCORM 2004 ``adlcp:completionThreshold``, if given.
    completion_threshold: float | None = None
    #: ``adlcp:datafromlms`` / ``adlcp:dataFromLMS`` (cmi.launch_data).
    launch_data: str = ""

    def to_dict(self) -> dict:
        """Return the item as JSON-ready data (children nested)."""
        data = {k: v for k, v in self.__dict__.items() if k != "children"}
        data["children"] = [child.to_dict() for child in self.children]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> TocItem:
        """Rebuild an item from ``to_dict`` output."""
        children = tuple(cls.from_dict(c) for c in data.get("children", ()))
        return cls(**{**data, "children": children})


@dataclass(frozen=True)
class Asset:
    """One ``<resource>``: its launch page, files and SCORM type."""

    identifier: str
    href: str
    scorm_type: str
    files: tuple[str, ...] = ()
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Package:
    """A read and validated SCORM package (or manifest)."""

    version: str
    identifier: str
    title: str
    toc: tuple[TocItem, ...]
    resources: tuple[Asset, ...] = ()
    description: str = ""
    language: str = ""
    keywords: tuple[str, ...] = ()
    #: Package-level LOM read as a dict (see ``qti.lom``).
    meta: dict = field(default_factory=dict, compare=False)
    #: Problems that do not block the import, in Vietnamese.
    warnings: tuple[str, ...] = ()

    @property
    def launchables(self) -> tuple[TocItem, ...]:
        """Return every item with a launch page, in table-of-contents order."""
        return tuple(item for item in walk(self.toc) if item.href)

    @property
    def scos(self) -> tuple[TocItem, ...]:
        """Return the launchable items that are SCOs."""
        return tuple(i for i in self.launchables if i.scorm_type == "sco")

    @property
    def launch(self) -> str:
        """Return the first launch page (what opens when the lecture starts)."""
        return self.launchables[0].href

    @property
    def edition(self) -> str:
        """Return "1.2" or "2004" (the runtime API the package talks to)."""
        return self.version.split()[0]


def walk(items: tuple[TocItem, ...]):
    """Yield ``items`` and their descendants, depth first, in document order."""
    for item in items:
        yield item
        yield from walk(item.children)
