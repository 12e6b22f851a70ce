"""Benchmark: a generated 2,000-question Word paper (mixed layouts, pictures, equations).

Reports the parse time and peak memory of the pure reader, then the end-to-end import
through the service on a fresh database: upload → preview (read, pictures stored,
duplicates checked) → commit of every question, and how long after the commit the
background search indexing takes to finish. Every step in wall and CPU seconds
(the machine may be shared), with the load average. Target: under 10 s end to end.

Usage: python bench/bench_import_docx.py [--questions 2000] [--database-url URL]
"""

import argparse
import gc
import io
import os
import random
import struct
import sys
import tempfile
import time
import tracemalloc
import zlib

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

M_NS = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
EQUATION = (
    "<m:f><m:num><m:r><m:t>{a}</m:t></m:r></m:num><m:den><m:r><m:t>x</m:t></m:r></m:den></m:f>"
    "<m:r><m:t>+</m:t></m:r><m:sSup><m:e><m:r><m:t>y</m:t></m:r></m:e>"
    "<m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup>"
)
SYLLABLES = (
    "hàm số đồ thị tập hợp phương trình nghiệm giá trị lớn nhất nhỏ khoảng tam giác "
    "đường tròn góc cạnh vận tốc lực điện trở nhiệt độ tế bào gen môi trường lịch sử"
).split()
#: A few hundred two-syllable words, so stems differ as real ones do.
WORDS = [f"{a} {b}" for a in SYLLABLES[:20] for b in SYLLABLES[20:]]


def picture(seed: int, size: int = 48) -> bytes:
    """A small PNG (grey noise), different for every seed."""
    rng = random.Random(seed)
    rows = b"".join(
        b"\0" + bytes(rng.randrange(256) for _ in range(size)) for _ in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def generate(count: int) -> bytes:
    """A paper of ``count`` questions in rotating layouts."""
    import docx
    from docx.oxml import parse_xml

    rng = random.Random(2026)
    document = docx.Document()
    key = []
    for n in range(1, count + 1):
        words = " ".join(rng.choice(WORDS) for _ in range(8))
        stem = document.add_paragraph(f"Câu {n}: Câu hỏi số {n} về {words}? ")
        if n % 5 == 0:
            omml = EQUATION.format(a=n)
            stem._p.append(parse_xml(f"<m:oMath {M_NS} {W_NS}>{omml}</m:oMath>"))
        if n % 10 == 0:
            stem.add_run().add_picture(io.BytesIO(picture(n)))
        _layout(document, n, rng, key)
    document.add_paragraph("----- HẾT -----")
    document.add_paragraph(" ".join(key))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _layout(document, n: int, rng, key: list) -> None:
    kind = n % 10
    answer = "ABCD"[rng.randrange(4)]
    options = [f"{letter}. phương án {letter.lower()} của câu {n}" for letter in "ABCD"]
    if kind in (0, 1, 2, 3):
        for option in options:
            document.add_paragraph(option)
        document.add_paragraph(f"Đáp án: {answer}")
    elif kind in (4, 5):
        paragraph = document.add_paragraph()
        for option in options:
            run = paragraph.add_run(option + "\t")
            run.underline = option[0] == answer or None
    elif kind == 6:
        for option in options:
            document.add_paragraph(("*" if option[0] == answer else "") + option)
    elif kind == 7:
        for letter in "abcd":
            document.add_paragraph(f"{letter}) mệnh đề {letter} của câu {n}")
        document.add_paragraph("Đáp án: " + "".join(rng.choice("ĐS") for _ in range(4)))
    elif kind == 8:
        document.add_paragraph(f"Đáp án: {n},5")
    else:
        document.add_paragraph("\t".join(options))
        key.append(f"{n}-{answer}")
    document.add_paragraph(f"Lời giải: vì {answer} đúng.")


class Clock:
    """Wall and CPU seconds (``process_time``: every thread of this process) of a step."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s)"


def measure_parse(data: bytes) -> tuple[Clock, float, int]:
    """Time to read the paper, peak MiB while reading, questions read."""
    from importers.word import read_word
    from qti import PackageLimits

    with Clock() as clock:
        result = read_word(io.BytesIO(data), "de.docx", PackageLimits())
    tracemalloc.start()
    read_word(io.BytesIO(data), "de.docx", PackageLimits())
    peak = tracemalloc.get_traced_memory()[1] / 1048576
    tracemalloc.stop()
    return clock, peak, len(result.items) + len(result.drafts)


def measure_import(data: bytes, url: str, instance: str) -> dict:
    """Preview, commit and search indexing through the service, each timed."""
    from bench.bench_list import build_app, seed_users
    from repo_server.accounts.models import User
    from repo_server.extensions import db
    from repo_server.imports.service import commit_import, start_import

    app = build_app(url, instance)
    app.config["STORAGE_URL"] = f"file://{instance}/files"
    seed_users(app)
    with app.test_request_context():
        user = db.session.scalars(db.select(User).filter_by(role="teacher")).first()
        gc.collect()
        with Clock() as preview:
            record = start_import(
                user, [("de.docx", io.BytesIO(data))], {"subject": "toan"}
            )
        with Clock() as commit:
            record = commit_import(user, record.id)
        with Clock() as indexed:  # the background indexing of the commit, to its end
            wait_for_index(db)
        created = len(record.question_ids)
        return {
            "preview": preview,
            "commit": commit,
            "indexed": indexed,
            "created": created,
            "found": count_found(user, "Câu hỏi số"),
        }


def wait_for_index(db, timeout: float = 300) -> None:
    """Wait until the search outbox is empty (every document indexed)."""
    from repo_server.catalog.models import SearchOutbox

    deadline = time.monotonic() + timeout
    while db.session.scalar(db.select(db.func.count(SearchOutbox.id))):
        db.session.rollback()  # a fresh snapshot on the next look
        if time.monotonic() > deadline:
            raise SystemExit("search outbox not emptied in time")
        time.sleep(0.02)


def count_found(user, text: str) -> int:
    """Questions the search finds for ``text`` among the teacher's drafts."""
    from repo_server.backends import get_search
    from search import Query, Visibility

    query = Query(text=text, visibility=Visibility(own_author_id=user.id))
    return get_search().search(query).total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with Clock() as made:
        data = generate(args.questions)
    size = len(data) / 1048576
    print(
        f"paper: {args.questions} questions, {size:.1f} MiB (made in {made.wall:.1f} s)"
    )
    clock, peak, read = measure_parse(data)
    rate = read / clock.wall
    print(f"parse: {clock}, {rate:.0f} questions/s, peak {peak:.0f} MiB (tracemalloc)")
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        got = measure_import(data, url, folder)
    total_wall = got["preview"].wall + got["commit"].wall
    total_cpu = got["preview"].cpu + got["commit"].cpu
    print(f"preview (read + pictures + duplicates + record): {got['preview']}")
    print(f"commit of {got['created']} questions: {got['commit']}")
    print(f"end to end: {total_wall:.2f} s (CPU {total_cpu:.2f} s) (target < 10 s)")
    print(
        f"search: all documents indexed {got['indexed']} after the commit returned; "
        f"'Câu hỏi số' finds {got['found']}"
    )
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
