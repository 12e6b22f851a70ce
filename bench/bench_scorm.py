"""Benchmark: import and export a generated SCORM package (500 MB, many files).

Generates a SCORM 2004 lecture of ``--files`` files totalling ``--size-mb`` MB (random
"media", incompressible, plus one HTML page in twenty), then in one process (file
SQLite and local storage in a temp instance): ``repo-server``'s import service
(``scorm.importing.import_lecture``: checks, every file to content-addressed storage,
rows, HTML text) and the export of the lecture as SCORM 1.2 (manifest rewritten, every
file re-packed). Speed is compared with ``unzip -q`` of the same zip to disk; memory
is the growth of the process's peak RSS over each step.
Usage: python bench/bench_scorm.py [--size-mb 500] [--files 5000]
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.scorm.factories import PAGE, manifest  # noqa: E402

MB = 1000 * 1000


def generate(path: str, size_mb: int, files: int) -> None:
    """Write the package: one SCO page per twenty files, the rest random media."""
    each = size_mb * MB // files
    pages = [f"sco{n}/index.html" for n in range(0, files, 20)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("imsmanifest.xml", manifest("2004", tuple(pages)))
        for n in range(files):
            name = f"sco{n}/index.html" if n % 20 == 0 else f"media/{n:06d}.bin"
            data = PAGE.encode() if n % 20 == 0 else os.urandom(each)
            archive.writestr(name, data)


def peak_mb() -> float:
    """Return the process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB


def timed_unzip(path: str, target: str) -> float:
    start = time.perf_counter()
    subprocess.run(["unzip", "-q", "-o", path, "-d", target], check=True)
    os.sync()
    return time.perf_counter() - start


def open_app(instance: str):
    from repo_server import create_app

    return create_app({
        "TESTING": True, "INSTANCE_PATH": instance, "SECRET_KEY": "bench",
        "DATABASE_URL": f"sqlite:///{instance}/bench.sqlite3",
        "STORAGE_URL": f"file://{instance}/files", "SEARCH_URL": "sqlite://",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "IMPORT_MAX_ZIP_BYTES": 2 * 1024**3,
    })  # fmt: skip


def run(app, package: str, instance: str) -> dict:
    """Import then export the package; return seconds and peak-RSS growth."""
    from flask import g

    import repo_server.models  # noqa: F401
    from repo_server.accounts.service import create_user
    from repo_server.extensions import db
    from repo_server.orgs.service import create_organisation
    from repo_server.scorm.exporting import write_lecture
    from repo_server.scorm.importing import import_lecture

    figures = {}
    with app.app_context(), app.test_request_context():
        db.create_all()
        g.user = None
        school = create_organisation(
            None, {"code": "SGD", "name": "Sở", "kind": "department"}
        )
        user = create_user(None, {"email": "gv@bench.vn", "name": "GV", "role": "admin",
                                  "password": "mat-khau-bench", "org_id": school.id})  # fmt: skip
        before = peak_mb()
        start = time.perf_counter()
        with open(package, "rb") as stream:
            material = import_lecture(user, "bench.zip", stream, {})
        figures["import_s"] = time.perf_counter() - start
        figures["import_mb"] = peak_mb() - before
        before = peak_mb()
        start = time.perf_counter()
        with open(os.path.join(instance, "export.zip"), "wb") as target:
            write_lecture(user, material.id, "1.2", target)
        figures["export_s"] = time.perf_counter() - start
        figures["export_mb"] = peak_mb() - before
        figures["files"] = material.scorm.file_count
    return figures


def main() -> None:
    """Generate, unzip, import, export; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--files", type=int, default=5000)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="bench-scorm-")
    try:
        package = os.path.join(work, "lecture.zip")
        generate(package, args.size_mb, args.files)
        size = os.path.getsize(package) / MB
        unzip_s = timed_unzip(package, os.path.join(work, "unzipped"))
        shutil.rmtree(os.path.join(work, "unzipped"))
        instance = os.path.join(work, "instance")
        os.makedirs(instance)
        figures = run(open_app(instance), package, instance)
        print(
            f"package: {size:.0f} MB, {figures['files']} files; load {os.getloadavg()[0]:.2f}"
        )
        print(f"unzip -q:  {unzip_s:6.1f} s  ({size / unzip_s:6.1f} MB/s)")
        print(
            f"import:    {figures['import_s']:6.1f} s  ({size / figures['import_s']:6.1f} MB/s, "
            f"{unzip_s / figures['import_s']:.2f}x unzip)  peak RSS +{figures['import_mb']:.0f} MB"
        )
        print(
            f"export:    {figures['export_s']:6.1f} s  ({size / figures['export_s']:6.1f} MB/s)"
            f"  peak RSS +{figures['export_mb']:.0f} MB"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
