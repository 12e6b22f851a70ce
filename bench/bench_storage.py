"""Benchmark: a 1 GiB file up and down through the HTTP API, on local disk and on S3.

A real server (``repo-server serve``, one gunicorn worker, instance in a temp folder)
takes multipart uploads from curl and from a client that sends with ``sendfile``, a
resumable upload (chunks of the size the server advertises, ``sendfile``), and
downloads by curl and by a client that writes with ``splice`` (bench/lean_client.py:
the client shares the server's two cores here, so the lean one shows the server's own
speed).
Throughput is a ratio of a raw copy (local: ``cp`` + fsync, as the storage does; S3:
boto3 ``upload_file``/``download_file``); memory is the worker's peak RSS growth. For
local disk it also prints a bare loopback copy (``sendfile`` → ``splice``, no HTTP): the
most a download can reach here.
Usage: python bench/bench_storage.py [--size-mib 1024] [--backend local|s3|both]
[--chunk-mib N] (N overrides the advertised chunk size of the resumable upload)
(S3: REPO_TEST_S3_URL and AWS_*, else SeaweedFS is started, else S3 is skipped.)
"""

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import lean_client as lean  # noqa: E402
from bench import raw_copy  # noqa: E402
from bench.json_client import Api  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MIB = 1024 * 1024
#: The resumable upload's chunk size when --chunk-mib is given (else the server's).
CHUNK_OVERRIDE: int | None = None
TEACHER = "teacher1@demo.khohoclieu.vn"


def main() -> None:
    """Generate the file, run each backend, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--backend", choices=("local", "s3", "both"), default="both")
    parser.add_argument("--chunk-mib", type=int, default=None)
    args = parser.parse_args()
    global CHUNK_OVERRIDE
    CHUNK_OVERRIDE = args.chunk_mib * MIB if args.chunk_mib else None
    source = Path(tempfile.mkdtemp(prefix="bench-storage-")) / "source.bin"
    print(f"Generating {args.size_mib} MiB of random data in {source} ...")
    with open(source, "wb") as out:  # random: nothing deduplicates or compresses
        for _ in range(args.size_mib):
            out.write(os.urandom(MIB))
    results = []
    if args.backend in ("local", "both"):
        results.append(run_backend("local", None, source))
    if args.backend in ("s3", "both") and (url := _s3_url()):
        results.append(run_backend("s3", url, source))
    _report(results, args.size_mib * MIB)
    shutil.rmtree(source.parent, ignore_errors=True)


def _s3_url() -> str | None:
    """REPO_TEST_S3_URL, or a SeaweedFS started for the run, or None (skipped)."""
    if os.environ.get("REPO_TEST_S3_URL"):
        return os.environ["REPO_TEST_S3_URL"]
    folder = tempfile.mkdtemp(prefix="bench-seaweedfs-")
    script = ROOT / ".ci/services/seaweedfs.sh"
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}
    started = subprocess.run(
        ["bash", str(script), "start", folder], capture_output=True, text=True, env=env
    )
    if started.returncode != 0:
        print(f"S3 skipped: SeaweedFS did not start ({started.stderr.strip()[-200:]})")
        return None
    for line in started.stdout.splitlines():  # export NAME='value' [NAME='value']
        for pair in line.removeprefix("export ").split(" "):
            name, _, value = pair.partition("=")
            os.environ[name] = value.strip("'")
    import atexit

    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # runs after the stop
    atexit.register(subprocess.run, ["bash", str(script), "stop", folder], env=env)
    return os.environ["REPO_TEST_S3_URL"]


def run_backend(name: str, s3_url: str | None, source: Path) -> dict:
    """Measure raw copies and the API on one backend; return the timings."""
    instance = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    storage_url = f"file://{instance}/files"
    if s3_url:  # a fresh prefix of the bucket
        base, _, query = s3_url.partition("?")
        storage_url = f"{base.rstrip('/')}/bench-{os.urandom(4).hex()}?{query}"
    env = _server_env(instance, storage_url)
    subprocess.run(
        ["repo-server", "init", "--demo"], env=env, check=True, capture_output=True
    )
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "repo-server"), "serve", "--host", "127.0.0.1"]
        + ["--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        return _measure(name, port, server.pid, source, instance, storage_url)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(instance, ignore_errors=True)


def _server_env(instance: Path, storage_url: str) -> dict:
    """The environment of the server and the CLI: one instance, one storage."""
    return {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "REPO_INSTANCE_PATH": str(instance),
        "REPO_DATABASE_URL": f"sqlite:///{instance}/repo.sqlite3",
        "REPO_STORAGE_URL": storage_url,
        "REPO_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


def _free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def _measure(name, port, master, source, instance, storage_url) -> dict:
    """Raw copy, then curl upload, chunked upload and curl download via the API."""
    env = _server_env(instance, storage_url)
    token, (first, second, third) = _token_and_materials(env)
    api = Api(port, token)
    api.wait_ready()
    worker = _worker_pid(master)
    result = {"backend": name, **raw_copy.measure(name, source, instance, storage_url)}
    target, lean_target = instance / "downloaded.bin", instance / "lean.bin"
    for key, action in (
        ("upload", lambda: _curl_upload(api, first, source)),
        ("lean_upload", lambda: lean.upload(port, token, second, source, b"lean")),
        ("chunked", lambda: _chunked_upload(api, third, source)),
        ("download", lambda: _curl_download(port, token, api.last_file_id, target)),
        (
            "lean_download",
            lambda: lean.download(port, token, api.last_file_id, lean_target),
        ),
    ):
        result[key], result[key + "_rss"], result[key + "_cpu"] = _with_peak(
            worker, action
        )
    for copy in (target, lean_target):
        assert _sha256(copy) == _sha256(source), "downloaded bytes differ"
    return result


def _worker_pid(master: int) -> int:
    """The gunicorn worker: the master's child process."""
    children = Path(f"/proc/{master}/task/{master}/children")
    for _ in range(100):
        if pids := children.read_text().split():
            return int(pids[0])
        time.sleep(0.1)
    raise RuntimeError("no gunicorn worker found")


def _status(pid: int, field: str) -> int:
    """A VmRSS/VmHWM value of a process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


def _with_peak(pid: int, action) -> tuple[float, int, float]:
    """Run ``action``; return its time, the worker's peak RSS growth and CPU time."""
    before, cpu = _status(pid, "VmRSS"), _cpu(pid)
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    seconds = raw_copy.timed(action)
    return seconds, _status(pid, "VmHWM") - before, _cpu(pid) - cpu


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _curl(args: list[str]) -> str:
    return subprocess.check_output(["curl", "-sS", "-f", *args]).decode()


def _curl_upload(api: Api, material: int, source: Path) -> None:
    url = f"http://127.0.0.1:{api.port}/api/v1/materials/{material}/files"
    answer = _curl(
        ["-H", f"Authorization: Bearer {api.token}", "-F", f"file=@{source}", url]
    )
    api.last_file_id = json.loads(answer)["id"]  # the file downloaded afterwards


def _curl_download(port: int, token: str, file_id: int, target: Path) -> None:
    url = f"http://127.0.0.1:{port}/api/v1/files/{file_id}"
    auth = ["-H", f"Authorization: Bearer {token}"]
    location = _curl([*auth, "-o", str(target), "-w", "%{redirect_url}", url])
    if location:  # S3: a presigned URL, fetched without our token
        _curl(["-o", str(target), location])


def _chunked_upload(api: Api, material: int, source: Path) -> None:
    size = source.stat().st_size
    body = {"material_id": material, "filename": "bench.bin", "size": size}
    upload = api.request("POST", "/api/v1/uploads", body)
    chunk = CHUNK_OVERRIDE or upload["chunk_size"]
    print(f"resumable upload in chunks of {chunk / MIB:.0f} MiB")
    # other first bytes than the multipart uploads': nothing is deduplicated
    lean.chunked_upload(api.port, api.token, upload["url"], source, chunk, bytes(8))


def _sha256(path: Path) -> str:
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _token_and_materials(env: dict) -> tuple[str, list[int]]:
    """A demo teacher's API token and two new draft materials, made in-process."""
    os.environ.update(env)  # the app reads its REPO_* settings from there
    from repo_server import create_app
    from repo_server.accounts.service import create_token, find_user
    from repo_server.materials.service import create_material

    app = create_app()
    with app.app_context(), app.test_request_context():
        teacher = find_user(TEACHER)
        _token, secret = create_token(teacher, "bench")
        data = {"title": "Bench", "kind": "video"}
        return secret, [create_material(teacher, data).id for _ in range(3)]


ROWS = (
    ("upload, curl", "upload", "raw_up"),
    ("upload, sendfile", "lean_upload", "raw_up"),
    ("resumable, sendfile", "chunked", "raw_up"),
    ("download, curl", "download", "raw_down"),
    ("download, splice", "lean_download", "raw_down"),
)


HEADER = f"{'':8} {'path, client':26} {'MB/s':>8} {'raw MB/s':>9} {'ratio':>6} " + (
    f"{'RSS +MB':>8} CPU s"
)


def _report(results: list[dict], size: int) -> None:
    """Print one line per backend and path (CPU: the server worker's user + system)."""
    print(f"\nFile: {size / MIB:.0f} MiB; MB/s; ratio = raw time / API time.\n{HEADER}")
    for r in results:
        for label, key, raw in ROWS:
            line = f"{r['backend']:8} {label:26} {size / r[key] / 1e6:8.0f} "
            line += f"{size / r[raw] / 1e6:9.0f} {r[raw] / r[key]:6.2f} "
            print(line + f"{r[key + '_rss'] / MIB:8.1f} {r[key + '_cpu']:5.2f}")
        if "loopback" in r:
            loop = size / r["loopback"] / 1e6
            print(
                f"{r['backend']:8} (sendfile → splice over bare loopback TCP: {loop:.0f} MB/s)"
            )


if __name__ == "__main__":
    main()
