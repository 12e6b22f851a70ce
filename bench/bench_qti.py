"""Benchmark: QTI 2.1 and 3.0 packages of 10,000 questions, written and read back.

Reports items/s both ways (wall clock, and per CPU-second of the process and its
worker processes: past 2,000 items the writer compresses on one worker process per
core and packages of 2,000 items or more are read on them, their CPU counted once they
end), and
reading once more with ``iter_package`` (items dropped as they come: what a streamed
import keeps in memory); how much the RSS grows at most during each
run (and, with --memory, the peak of Python allocations), at N and N/10 items to
show memory does not grow with N; and writes the same items, in ASCII, with
qti-package-maker for comparison.

Usage: python bench/bench_qti.py [--items 10000] [--titled] [--memory] [--json]
"""

import argparse
import contextlib
import io
import json
import os
import random
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.ascii_bank import ascii_bank, qpm_item  # noqa: E402
from bench.synthetic import question  # noqa: E402
from qti import Item, iter_package, read_package, write_package  # noqa: E402

TAXONOMY = Path(__file__).parents[1] / "repo_server/taxonomy/data/gdpt2018.json"
VERSIONS = {"qti21": "2.1", "qti30": "3.0"}


def payloads(count: int, seed: int = 2018) -> list[dict]:
    """The synthetic bank: ``count`` question payloads of every type."""
    rng = random.Random(seed)
    return [question(rng) for _ in range(count)]


def taxonomy_names() -> dict:
    """(kind, code) → Vietnamese name, from our curriculum file."""
    data = json.loads(TAXONOMY.read_text(encoding="utf-8"))
    names = {}
    for kind, section in (("subject", "subjects"), ("grade", "grades")):
        names.update({(kind, e["code"]): e["name_vi"] for e in data[section]})
    names.update({("level", e["code"]): e["name_vi"] for e in data["cognitive_levels"]})
    return names


def entries(
    bank: list[dict], names: dict, titled: bool = False
) -> list[tuple[Item, dict]]:
    """Items as the service exports them: identifiers and LOM codes with names
    (``titled``: each with its own title, in its file and its LOM)."""
    out = []
    for number, payload in enumerate(bank, 1):
        own = {"identifier": f"KHLS-{number}"}
        if titled:
            own["title"] = f"Câu {number}: {names.get(('subject', payload['subject']))}"
        item = Item.from_dict({**payload["item"], **own})
        meta = {"licence": "CC-BY-4.0"}
        for key, field in (
            ("subject", "subject"),
            ("grade", "grade"),
            ("level", "cognitive_level"),
        ):
            code = payload[field]
            meta[key] = {"code": code, "name": names.get((key, code), "")}
        out.append((item, meta))
    return out


#: Set by --memory: trace allocations (this slows the runs down several times).
TRACE = {"on": False}


@contextlib.contextmanager
def measured(result: dict, count: int):
    """Time a block (wall and CPU) and sample how much its RSS grows at most.

    With --memory, also the peak of Python allocations (tracemalloc; slower).
    """
    sampler = RssSampler()
    if TRACE["on"]:
        tracemalloc.start()
    wall, cpu = time.perf_counter(), cpu_seconds()
    with sampler:
        yield
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    result.update(
        items=count,
        seconds=round(wall, 3),
        items_per_s=round(count / wall),
        items_per_cpu_s=round(count / cpu),
        rss_growth_mb=round(sampler.growth / 2**10, 1),
    )
    if TRACE["on"]:
        result["peak_python_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()


def cpu_seconds() -> float:
    """CPU of this process (all threads) and of its finished worker processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class RssSampler:
    """Sample the resident set size every 10 ms; ``growth`` is the peak over the start."""

    def __init__(self):
        self.start = self.peak = rss_kib()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()

    def __exit__(self, *exc_info):
        self.done.set()
        self.thread.join()
        self.peak = max(self.peak, rss_kib())

    def _run(self) -> None:
        while not self.done.wait(0.01):
            self.peak = max(self.peak, rss_kib())
        self.growth = self.peak - self.start  # KiB grown at most while sampled


def rss_kib() -> int:
    """The current resident set size in KiB (Linux), else the peak so far."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def bench_ours(items: list, version: str, folder: str) -> dict:
    """Write a package to a file, then read it back."""
    path = os.path.join(folder, f"bank-{version}.zip")
    written, read = {}, {}
    with measured(written, len(items)), open(path, "wb") as target:
        write_package(iter(items), target, version)
    written["bytes"] = os.path.getsize(path)
    with measured(read, len(items)), open(path, "rb") as source:
        result = read_package(source)
    assert len(result.items) == len(items) and not result.problems, result.problems[:3]
    assert [i.identifier for i, _ in result.items[:3]] == [
        i.identifier for i, _ in items[:3]
    ]
    del result
    streamed = {}
    with measured(streamed, len(items)), open(path, "rb") as source:
        count = sum(1 for _ in iter_package(source))  # each item dropped once read
    assert count == len(items)
    return {"write": written, "read": read, "stream": streamed}


def bench_qpm(bank: list[dict], folder: str) -> dict:
    """Write the ASCII bank with qti-package-maker (QTI 2.1, Blackboard engine)."""
    from qti_package_maker.package_interface import QTIPackageInterface

    result = {}
    previous = os.getcwd()
    os.chdir(folder)
    try:
        with measured(result, len(bank)), contextlib.redirect_stdout(io.StringIO()):
            packer = QTIPackageInterface("bench", verbose=False, allow_mixed=True)
            for payload in bank:
                packer.add_item(*qpm_item(payload["item"]))
            path = packer.save_package("blackboard_qti_v2_1", "qpm.zip")
        result["written_items"] = len(packer.item_bank)
        result["bytes"] = os.path.getsize(path)
    finally:
        os.chdir(previous)
    return result


def bench_ours_from_dicts(bank: list[dict], folder: str) -> dict:
    """Our export of the ASCII bank from plain dicts, as qti-package-maker gets it."""
    result = {}
    path = os.path.join(folder, "ours-ascii.zip")
    with measured(result, len(bank)), open(path, "wb") as target:
        items = (Item.from_dict(p["item"]) for p in bank)
        write_package(items, target, "2.1")
    result["bytes"] = os.path.getsize(path)
    return result


def run(count: int, titled: bool = False) -> dict:
    """Every measurement of the benchmark."""
    bank = payloads(count)
    items = entries(bank, taxonomy_names(), titled)
    report = {"items": count, "cpus": os.cpu_count(), "load_at_start": _load()}
    report["titled"] = titled
    with tempfile.TemporaryDirectory() as folder:
        for name, version in VERSIONS.items():
            report[name] = bench_ours(items, version, folder)
        small = items[: max(count // 10, 1)]
        report["memory_at_tenth"] = bench_ours(small, "2.1", folder)
        ascii_payloads = ascii_bank(bank)
        report["ascii_ours"] = bench_ours_from_dicts(ascii_payloads, folder)
        try:
            report["ascii_qti_package_maker"] = bench_qpm(ascii_payloads, folder)
        except ImportError:
            report["ascii_qti_package_maker"] = None
    report["load_at_end"] = _load()
    qpm = report["ascii_qti_package_maker"]
    if qpm:
        ours = report["ascii_ours"]["items_per_s"]
        report["ratio_ours_to_qpm"] = round(ours / qpm["items_per_s"], 2)
    return report


def _load() -> list[float]:
    return [round(value, 1) for value in os.getloadavg()]  # 1, 5, 15 minutes


def print_table(report: dict) -> None:
    """A readable summary."""
    titled = ", each with its own title" if report["titled"] else ""
    print(f"{report['items']} items{titled}, {report['cpus']} CPUs")
    print(
        f"load average at start {report['load_at_start']}, end {report['load_at_end']}"
    )
    print(f"{'run':28} {'items/s':>9} {'per CPU-s':>10} {'py MB':>7} {'+RSS MB':>8}")
    parts = (("write", "write"), ("read", "read"), ("stream", "read, streamed"))
    rows = [(f"{n} {label}", report[n][key]) for n in VERSIONS for key, label in parts]
    tenth = report["memory_at_tenth"]
    size = tenth["write"]["items"]
    rows += [(f"qti21 {label}, {size} items", tenth[key]) for key, label in parts]
    rows += [("ASCII, ours (from dicts)", report["ascii_ours"])]
    if report["ascii_qti_package_maker"]:
        rows += [("ASCII, qti-package-maker", report["ascii_qti_package_maker"])]
    for label, row in rows:
        print(
            f"{label:28} {row['items_per_s']:>9} {row['items_per_cpu_s']:>10} "
            f"{row.get('peak_python_mb', '-'):>7} {row['rss_growth_mb']:>8}"
        )
    if "ratio_ours_to_qpm" in report:
        print(f"ours / qti-package-maker: {report['ratio_ours_to_qpm']}×")


def main() -> None:
    """Parse the arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--memory", action="store_true", help="trace (slower)")
    parser.add_argument("--titled", action="store_true", help="every item titled")
    args = parser.parse_args()
    TRACE["on"] = args.memory
    report = run(args.items, args.titled)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)


if __name__ == "__main__":
    main()
