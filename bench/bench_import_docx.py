"""Benchmark: a generated 2,000-question Word paper (mixed layouts, pictures, equations).

Reports the parse time and peak memory of the pure reader, then the end-to-end import
through the service on a fresh database: upload → preview (read, pictures stored,
duplicates checked) → commit of every question. Target: under 10 s end to end.

Usage: python bench/bench_import_docx.py [--questions 2000] [--database-url URL]
"""

import argparse
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


def measure_parse(data: bytes) -> tuple[float, float, int]:
    """Seconds to read the paper, peak MiB while reading, questions read."""
    from importers.word import read_word
    from qti import PackageLimits

    start = time.perf_counter()
    result = read_word(io.BytesIO(data), "de.docx", PackageLimits())
    seconds = time.perf_counter() - start
    tracemalloc.start()
    read_word(io.BytesIO(data), "de.docx", PackageLimits())
    peak = tracemalloc.get_traced_memory()[1] / 1048576
    tracemalloc.stop()
    return seconds, peak, len(result.items) + len(result.drafts)


def measure_import(data: bytes, url: str, instance: str) -> tuple[float, float, int]:
    """Seconds of the preview and of the commit through the service; questions created."""
    from bench.bench_list import build_app, seed_users
    from repo_server.accounts.models import User
    from repo_server.extensions import db
    from repo_server.imports.service import commit_import, start_import

    app = build_app(url, instance)
    app.config["STORAGE_URL"] = f"file://{instance}/files"
    seed_users(app)
    with app.test_request_context():
        user = db.session.scalars(db.select(User).filter_by(role="teacher")).first()
        start = time.perf_counter()
        record = start_import(
            user, [("de.docx", io.BytesIO(data))], {"subject": "toan"}
        )
        preview = time.perf_counter() - start
        start = time.perf_counter()
        record = commit_import(user, record.id)
        commit = time.perf_counter() - start
        return preview, commit, len(record.question_ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    start = time.perf_counter()
    data = generate(args.questions)
    made = time.perf_counter() - start
    print(
        f"paper: {args.questions} questions, {len(data) / 1048576:.1f} MiB (made in {made:.1f} s)"
    )
    seconds, peak, read = measure_parse(data)
    rate = read / seconds
    print(
        f"parse: {seconds:.2f} s, {rate:.0f} questions/s, peak {peak:.0f} MiB (tracemalloc)"
    )
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        preview, commit, created = measure_import(data, url, folder)
    print(f"preview (read + pictures + duplicates + record): {preview:.2f} s")
    print(f"commit of {created} questions: {commit:.2f} s")
    print(f"end to end: {preview + commit:.2f} s (target < 10 s)")


if __name__ == "__main__":
    main()
