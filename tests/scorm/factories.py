"""Small SCORM packages built in memory for the tests (our own fixtures)."""

from __future__ import annotations

import io
import zipfile

HEAD_12 = """<manifest identifier="{ident}" version="1"
 xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
 xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
 xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1">"""
HEAD_2004 = """<manifest identifier="{ident}" version="1"
 xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
 xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
 xmlns:lom="http://ltsc.ieee.org/xsd/LOM">"""
LOM_12 = """<imsmd:lom><imsmd:general>
 <imsmd:title><imsmd:langstring xml:lang="vi">Bài giảng Hàm số</imsmd:langstring></imsmd:title>
 <imsmd:language>vi</imsmd:language>
 <imsmd:description><imsmd:langstring xml:lang="vi">Hàm số bậc nhất</imsmd:langstring>
 </imsmd:description></imsmd:general></imsmd:lom>"""
LOM_2004 = """<lom:lom><lom:general>
 <lom:title><lom:string language="vi">Bài giảng Quang hợp</lom:string></lom:title>
 <lom:language>vi</lom:language>
 <lom:description><lom:string language="vi">Sinh học 6</lom:string></lom:description>
 </lom:general></lom:lom>"""
SCHEMAVERSION = {"1.2": "1.2", "2004": "2004 4th Edition"}


def manifest(
    version: str = "1.2",
    scos: tuple[str, ...] = ("index.html",),
    lom: bool = True,
    extra_files: tuple[str, ...] = (),
    parameters: str = "",
) -> bytes:
    """Return a manifest with one item per SCO launch page."""
    head = (HEAD_12 if version == "1.2" else HEAD_2004).format(ident="M1")
    attribute = "adlcp:scormtype" if version == "1.2" else "adlcp:scormType"
    meta = (LOM_12 if version == "1.2" else LOM_2004) if lom else ""
    items = "".join(
        f'<item identifier="I{n}" identifierref="R{n}"{parameters}>'
        f"<title>Phần {n + 1}</title></item>"
        for n in range(len(scos))
    )
    resources = "".join(
        f'<resource identifier="R{n}" type="webcontent" {attribute}="sco" href="{href}">'
        f'<file href="{href}"/>'
        + "".join(f'<file href="{f}"/>' for f in extra_files)
        + "</resource>"
        for n, href in enumerate(scos)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{head}<metadata><schema>ADL SCORM'
        f"</schema><schemaversion>{SCHEMAVERSION[version]}</schemaversion>{meta}"
        f'</metadata><organizations default="O"><organization identifier="O">'
        f"<title>Khoá học</title>{items}</organization></organizations>"
        f"<resources>{resources}</resources></manifest>"
    ).encode()


PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Trang</title></head>"
    "<body><h1>Quang hợp</h1><p>Cây xanh dùng ánh sáng.</p>"
    "<script>var x = 'không phải văn bản';</script></body></html>"
)


def package(files: dict[str, bytes | str], **kwargs) -> io.BytesIO:
    """Return a zip holding ``files`` (and a manifest unless one is given)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if "imsmanifest.xml" not in files and kwargs.get("with_manifest", True):
            kwargs.pop("with_manifest", None)
            archive.writestr("imsmanifest.xml", manifest(**kwargs))
        for name, data in files.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def lecture(version: str = "1.2", pages: int = 2) -> io.BytesIO:
    """Return a playable lecture of ``pages`` SCOs sharing one image."""
    scos = tuple(f"sco{n}/index.html" for n in range(pages))
    files = {href: PAGE for href in scos}
    files["shared/img.png"] = b"\x89PNG\r\n\x1a\n" + bytes(64)
    return package(files, version=version, scos=scos, extra_files=("shared/img.png",))


#: A SCO that records what it can reach, then reports a passed score of 80 and
#: suspends; on a resumed launch it counts the visit. ``V`` picks the API names.
PROBE_SCO = """<!doctype html><html><head><meta charset="utf-8"><title>SCO</title>
<script>
var V = %(names)s;
window.addEventListener("load", function () {
  var api = window[V.api], out = {};
  try { out.cookie = document.cookie; } catch (e) { out.cookie = "blocked:" + e.name; }
  api[V.init]("");
  var previous = api[V.get]("cmi.suspend_data");
  out.entry = api[V.get](V.entry);
  out.name = api[V.get](V.name);
  out.visits = previous ? JSON.parse(previous).visits + 1 : 1;
  fetch("/api/v1/me", {credentials: "include"})
    .then(function (r) { return "status " + r.status; }, function () { return "blocked"; })
    .then(function (reached) {
      out.api = reached;
      api[V.set]("cmi.suspend_data", JSON.stringify(out));
      api[V.set](V.location, "trang-" + out.visits);
      api[V.set](V.raw, "80");
      api[V.set](V.max, "100");
      V.status.forEach(function (pair) { api[V.set](pair[0], pair[1]); });
      api[V.set](V.exit, "suspend");
      api[V.commit]("");
      api[V.finish]("");
      document.body.setAttribute("data-done", "1");
    });
});
</script></head><body><p>Bài học có theo dõi</p></body></html>"""
NAMES = {
    "1.2": {
        "api": "API", "init": "LMSInitialize", "get": "LMSGetValue",
        "set": "LMSSetValue", "commit": "LMSCommit", "finish": "LMSFinish",
        "entry": "cmi.core.entry", "name": "cmi.core.student_name",
        "location": "cmi.core.lesson_location", "raw": "cmi.core.score.raw",
        "max": "cmi.core.score.max", "exit": "cmi.core.exit",
        "status": [["cmi.core.lesson_status", "passed"]],
    },
    "2004": {
        "api": "API_1484_11", "init": "Initialize", "get": "GetValue",
        "set": "SetValue", "commit": "Commit", "finish": "Terminate",
        "entry": "cmi.entry", "name": "cmi.learner_name", "location": "cmi.location",
        "raw": "cmi.score.raw", "max": "cmi.score.max", "exit": "cmi.exit",
        "status": [["cmi.completion_status", "completed"],
                   ["cmi.success_status", "passed"], ["cmi.score.scaled", "0.8"]],
    },
}  # fmt: skip


def probe_lecture(version: str) -> io.BytesIO:
    """Return a one-SCO lecture whose SCO probes its sandbox and reports a score."""
    import json

    page = PROBE_SCO % {"names": json.dumps(NAMES[version])}
    return package({"sco/probe.html": page}, version=version, scos=("sco/probe.html",))
