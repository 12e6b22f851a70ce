"""The storage benchmark's baselines: the same file copied without the app."""

import os
import subprocess
import time
from pathlib import Path

from bench import lean_client as lean


def measure(name: str, source: Path, instance: Path, storage_url: str) -> dict:
    """Time a plain copy of the file up and down the same backend."""
    if name == "local":
        copy, back = instance / "raw-copy.bin", instance / "raw-back.bin"
        up = timed(lambda: _cp_fsync(source, copy))
        down = timed(lambda: subprocess.run(["cp", str(copy), str(back)], check=True))
        back.unlink()
        loop = timed(lambda: lean.loopback_copy(copy, back))  # the socket's ceiling
        copy.unlink(), back.unlink()
        return {"raw_up": up, "raw_down": down, "loopback": loop}
    import boto3

    from storage import from_url

    storage = from_url(storage_url)
    endpoint, key = storage.client.meta.endpoint_url, storage._name("raw-copy.bin")
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    up = timed(lambda: client.upload_file(str(source), storage.bucket, key))
    back = instance / "raw-back.bin"
    down = timed(lambda: client.download_file(storage.bucket, key, str(back)))
    client.delete_object(Bucket=storage.bucket, Key=key)
    back.unlink()
    return {"raw_up": up, "raw_down": down}


def _cp_fsync(source: Path, target: Path) -> None:
    subprocess.run(["cp", str(source), str(target)], check=True)
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start
