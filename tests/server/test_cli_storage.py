"""``repo-server storage check|gc`` on local disk and on S3: plant damage, find it, sweep."""

import hashlib
import io
import json
import os
import uuid
from datetime import timedelta

import pytest
from click.testing import CliRunner

from repo_server import create_app
from repo_server.backends import get_storage
from repo_server.cli import main
from repo_server.extensions import db
from repo_server.files.maintenance import collect_garbage
from repo_server.files.models import Blob, Upload
from repo_server.timeutil import utcnow
from storage import from_url
from storage.keys import blob_key
from tests.conftest import STORAGE_BACKENDS, s3_test_url, wipe_s3


@pytest.fixture(params=STORAGE_BACKENDS)
def cli(request, tmp_path, monkeypatch):
    """Run ``repo-server`` on a fresh instance (SQLite file) and storage."""
    storage_url = f"file://{tmp_path}/files"
    if request.param == "s3":
        storage_url = s3_test_url(f"cli-{uuid.uuid4().hex[:12]}")
        from_url(storage_url).ensure_bucket()
    monkeypatch.setenv("REPO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("REPO_DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite3")
    monkeypatch.setenv("REPO_PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
    monkeypatch.setenv("REPO_STORAGE_URL", storage_url)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, list(args), catch_exceptions=False)

    run.app = create_app({"TESTING": True})
    yield run
    with run.app.app_context():
        if request.param == "s3":
            wipe_s3(get_storage())
        db.engine.dispose()


def report(result) -> dict:
    return json.loads(result.output[result.output.index("{") :])


def test_a_fresh_demo_is_clean(cli):
    assert cli("init", "--demo").exit_code == 0
    result = cli("storage", "check", "--json")
    assert result.exit_code == 0, result.output
    checked = report(result)
    assert checked["clean"] and checked["checked"] >= 4


def test_check_finds_missing_corrupt_and_orphaned_objects_and_gc_sweeps(cli):
    cli("init", "--demo")
    with cli.app.app_context():
        storage = get_storage()
        blobs = db.session.query(Blob).order_by(Blob.sha256).all()
        corrupt, missing = blobs[0], blobs[1]
        size = storage.stat(corrupt.storage_key).size
        storage.save(corrupt.storage_key, io.BytesIO(os.urandom(size)))  # same size
        storage.delete(missing.storage_key)
        orphan = os.urandom(100)
        orphan_key = storage.save_by_hash(io.BytesIO(orphan)).key
        storage.save("blobs/junk", io.BytesIO(b"x"))
        unused = os.urandom(50)
        unused_sha = hashlib.sha256(unused).hexdigest()
        storage.save(blob_key(unused_sha), io.BytesIO(unused))
        db.session.add(
            Blob(
                sha256=unused_sha,
                size=50,
                content_type="text/plain",
                storage_key=blob_key(unused_sha),
                created_at=utcnow() - timedelta(days=2),
            )
        )
        keys = corrupt.storage_key, missing.storage_key
        db.session.commit()
    result = cli("storage", "check", "--json")
    assert result.exit_code == 1
    found = report(result)
    assert found["corrupt"] == [keys[0]] and found["missing"] == [keys[1]]
    assert found["orphan_objects"] == sorted([orphan_key, "blobs/junk"])
    assert found["unreferenced_blobs"] == [blob_key(unused_sha)]
    sizes_only = report(cli("storage", "check", "--json", "--no-hash"))
    assert sizes_only["corrupt"] == []  # same size: only the hash tells

    dry = cli("storage", "gc", "--dry-run")
    assert dry.exit_code == 0 and "Sẽ dọn" in dry.output and orphan_key in dry.output
    assert cli("storage", "gc").exit_code == 0  # adopts the orphan, drops old unused
    after = report(cli("storage", "check", "--json"))
    # junk may be an upload about to commit (S3 keeps long streams where they were
    # streamed): it goes only once older than the cutoff
    assert after["orphan_objects"] == ["blobs/junk"]
    assert after["unreferenced_blobs"] == [orphan_key]
    cli("storage", "gc", "--min-age", "0")
    swept = report(cli("storage", "check", "--json"))
    assert swept["orphan_objects"] == swept["unreferenced_blobs"] == []
    with cli.app.app_context():
        assert not get_storage().exists(orphan_key)
        assert not get_storage().exists(blob_key(unused_sha))


def test_gc_removes_expired_uploads_and_stray_parts(cli):
    cli("init", "--demo")
    with cli.app.app_context():
        from repo_server.accounts.models import User
        from repo_server.materials.models import Material

        user = db.session.query(User).filter_by(role="teacher").first()
        material = db.session.query(Material).filter_by(status="draft").first()
        folder = cli.app.config["UPLOAD_DIR"]
        os.makedirs(folder, exist_ok=True)
        upload = Upload(
            id=uuid.uuid4().hex,
            user_id=user.id,
            material_id=material.id,
            filename="a.mp4",
            size=10,
            expires_at=utcnow() - timedelta(hours=1),
        )
        db.session.add(upload)
        db.session.commit()
        part = os.path.join(folder, f"{upload.id}.part")
        stray = os.path.join(folder, "0" * 32 + ".part")
        for path in (part, stray):
            with open(path, "wb") as handle:
                handle.write(b"12345")
        old = (utcnow() - timedelta(days=2)).timestamp()
        os.utime(stray, (old, old))
    assert report(cli("storage", "check", "--json"))["expired_uploads"] == [upload.id]
    assert cli("storage", "gc").exit_code == 0
    assert not os.path.exists(part) and not os.path.exists(stray)
    assert report(cli("storage", "check", "--json"))["clean"]


def test_a_failed_cleanup_leaves_an_orphan_that_gc_removes(app, api, monkeypatch):
    """The database fails after the bytes are stored, and so does their deletion."""
    from storage import StorageError
    from tests.conftest import create_material, upload_file

    teacher = api("teacher")
    material = create_material(teacher)

    def broken(*_args, **_kwargs):
        raise StorageError("down")

    def failing_commit():
        raise db.exc.OperationalError("COMMIT", {}, Exception("database went away"))

    data = b"%PDF-1.4\n" + os.urandom(300)
    key = blob_key(hashlib.sha256(data).hexdigest())
    with app.app_context():
        monkeypatch.setattr(type(get_storage()), "delete", broken)
    monkeypatch.setattr(db.session, "commit", failing_commit)
    with pytest.raises(db.exc.OperationalError):
        upload_file(teacher, material, data, "a.pdf")
    monkeypatch.undo()  # the cleanup ran and failed: the bytes are an orphan now
    with app.app_context():
        assert get_storage().exists(key)
        found = collect_garbage(min_age_hours=0)
        assert key in found.orphan_objects
        assert not get_storage().exists(key)
