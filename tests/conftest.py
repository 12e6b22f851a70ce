"""Fixtures shared by the whole suite: the app on the embedded defaults, users, clients."""

import os
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import delete

from repo_server import create_app
from repo_server.extensions import db

#: The curriculum, loaded once per session; every other table is emptied after each test.
SESSION_TABLES = frozenset(
    {
        "cognitive_levels",
        "levels",
        "subjects",
        "textbook_series",
        "grades",
        "subject_grades",
        "topics",
    }
)


@pytest.fixture
def started_threads():
    """Threads this test started that still run (other tests' background threads don't count)."""
    before = set(threading.enumerate())
    return lambda: set(threading.enumerate()) - before


def database_url() -> str:
    """PostgreSQL when REPO_TEST_DATABASE_URL is set (CI), else in-memory SQLite."""
    return os.environ.get("REPO_TEST_DATABASE_URL") or "sqlite://"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """One app per session with the schema and the curriculum taxonomy loaded."""
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": database_url(),
            "SECRET_KEY": "test",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "STORAGE_URL": f"file://{instance}/files",
            "SEARCH_URL": "sqlite://",
        }
    )
    # No app context stays pushed: a request would reuse it, and with it ``g``.
    with app.app_context():
        import repo_server.models  # noqa: F401
        from repo_server.taxonomy.service import load_taxonomy

        db.drop_all()
        db.create_all()
        load_taxonomy()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()  # close pooled connections before warnings become errors


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Remove what a test created, so every test starts from the taxonomy alone."""
    yield
    if "app" not in request.fixturenames:
        return
    with request.getfixturevalue("app").app_context():
        # Children before parents, so foreign keys hold at every step.
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in SESSION_TABLES:
                db.session.execute(delete(table))
        db.session.commit()


class Record(SimpleNamespace):
    """Plain attributes of a row, usable after its app context is gone."""


def record(row, *names) -> Record:
    """Copy ``names`` (and id) of an ORM row into a Record."""
    return Record(**{n: getattr(row, n) for n in ("id", *names)})


class ApiClient:
    """A test client logged in through the real session API, sending CSRF tokens."""

    def __init__(self, flask_client, user=None, password: str = "mat-khau-1"):
        self.client = flask_client
        self.csrf = self.client.get("/api/v1/session").get_json()["csrf_token"]
        if user is not None:
            response = self.post(
                "/api/v1/session", {"email": user.email, "password": password}
            )
            assert response.status_code == 200, response.get_json()
            self.csrf = response.get_json()["csrf_token"]

    def get(self, url, **kwargs):
        """GET ``url``."""
        return self.client.get(url, **kwargs)

    def _send(self, method, url, json=None, **kwargs):
        headers = {"X-CSRFToken": self.csrf, **kwargs.pop("headers", {})}
        return self.client.open(
            url, method=method, json=json, headers=headers, **kwargs
        )

    def post(self, url, json=None, **kwargs):
        """POST JSON to ``url``."""
        return self._send("POST", url, json, **kwargs)

    def put(self, url, json=None, **kwargs):
        """PUT JSON to ``url``."""
        return self._send("PUT", url, json, **kwargs)

    def patch(self, url, json=None, **kwargs):
        """PATCH JSON to ``url``."""
        return self._send("PATCH", url, json, **kwargs)

    def delete(self, url, **kwargs):
        """DELETE ``url``."""
        return self._send("DELETE", url, **kwargs)


@pytest.fixture
def make_org(app):
    """Create organisations: a department, an office under it, schools under that."""
    from repo_server.orgs.service import create_organisation

    def make(code="THCS-A", kind="school", parent=None, levels=("THCS",)):
        with app.app_context():
            parent_id = parent.id if parent else None
            if parent is None and kind != "department":
                parent_id = _root_id()
            org = create_organisation(
                None,
                {
                    "code": code,
                    "name": f"Trường {code}",
                    "kind": kind,
                    "levels": list(levels),
                    "parent_id": parent_id,
                },
            )
            return record(org, "code", "kind")

    def _root_id():
        from repo_server.orgs.models import Organisation

        root = db.session.query(Organisation).filter_by(code="PGD").one_or_none()
        return (
            root
            or create_organisation(
                None, {"code": "PGD", "name": "Phòng GD&ĐT", "kind": "department"}
            )
        ).id

    return make


@pytest.fixture
def make_user(app, make_org):
    """Create a user of a role (curators curate Toán by default)."""
    from repo_server.accounts.service import create_user
    from repo_server.orgs.models import Organisation

    counter = iter(range(1, 10_000))

    def make(role="teacher", org=None, **fields):
        with app.app_context():
            org = org or db.session.query(Organisation).filter_by(code="THCS-A").first()
            org_id = org.id if org else make_org().id
        n = next(counter)
        data = {
            "email": f"{role}{n}@truong.edu.vn",
            "name": f"Người dùng {role} {n}",
            "role": role,
            "org_id": org_id,
            "password": "mat-khau-1",
            "subjects": ["TOAN"] if role == "curator" else [],
            "grade": "6" if role == "student" else None,
            "class_name": "6A1",
        }
        with app.app_context():
            user = create_user(None, {**data, **fields})
            return record(user, "email", "role", "org_id")

    return make


@pytest.fixture
def api(app, make_user):
    """``api(role_or_user)`` returns an ApiClient logged in as that user."""

    def login(who=None):
        if who is None:
            return ApiClient(app.test_client())
        user = make_user(who) if isinstance(who, str) else who
        return ApiClient(app.test_client(), user)

    return login


def question_payload(qtype="single_choice", **overrides):
    """A valid question of each type, in Toán 6."""
    items = {
        "single_choice": {
            "type": "single_choice",
            "stem": "Tập hợp nào sau đây rỗng?",
            "choices": [{"id": "A", "text": "{0}"}, {"id": "B", "text": "∅"}],
            "correct": ["B"],
            "explanation": "Lời giải: ∅ không có phần tử.",
        },
        "multiple_response": {
            "type": "multiple_response",
            "stem": "Chọn các số chẵn.",
            "choices": [
                {"id": "A", "text": "2"},
                {"id": "B", "text": "3"},
                {"id": "C", "text": "4"},
            ],
            "correct": ["A", "C"],
        },
        "true_false": {
            "type": "true_false",
            "stem": "0 là số tự nhiên.",
            "correct": ["true"],
            "explanation": "Đúng theo định nghĩa ℕ.",
        },
        "true_false_cluster": {
            "type": "true_false_cluster",
            "stem": "Cho hàm số \\(y = 2x + 1\\).",
            "statements": [
                {"id": k, "text": f"Mệnh đề {k}", "correct": k in "ac"} for k in "abcd"
            ],
        },
        "numeric": {
            "type": "numeric",
            "stem": "Tính \\(1{,}5 + 1\\).",
            "numeric": {"value": 2.5, "tolerance": 0.01},
        },
    }
    return {
        "subject": "TOAN",
        "grade": "6",
        "cognitive_level": "NB",
        "difficulty": 2,
        "tags": ["tập hợp"],
        "item": items[qtype],
        **overrides,
    }


# --- Apps on other storage backends (the files feature's contract tests) -----------

S3_URL = os.environ.get("REPO_TEST_S3_URL", "")
SKIP_NO_S3 = pytest.mark.skipif(
    not S3_URL, reason="S3 cases need REPO_TEST_S3_URL (see .ci/services/seaweedfs.sh)"
)
STORAGE_BACKENDS = ["local", pytest.param("s3", marks=SKIP_NO_S3)]


def s3_test_url(prefix: str) -> str:
    """Return REPO_TEST_S3_URL with ``prefix`` appended to its key prefix."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(S3_URL)
    path = f"{parts.path.rstrip('/')}/{prefix}"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def wipe_s3(storage) -> None:
    """Delete every object and open multipart upload under an S3 storage's prefix."""
    client, bucket, base = storage.client, storage.bucket, storage._name("")
    uploads = client.list_multipart_uploads(Bucket=bucket, Prefix=base)
    for upload in uploads.get("Uploads", []):
        client.abort_multipart_upload(
            Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"]
        )
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=base)
    for page in pages:
        for item in page.get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])


def make_test_app(instance, storage_url: str, **config):
    """An app like the session app (schema and taxonomy loaded) on another storage."""
    from repo_server.taxonomy.service import load_taxonomy

    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": database_url(),
            "SECRET_KEY": "test",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "STORAGE_URL": storage_url,
            "SEARCH_URL": "sqlite://",
            **config,
        }
    )
    with app.app_context():
        import repo_server.models  # noqa: F401

        db.create_all()  # on PostgreSQL the tables may be there already: kept
        load_taxonomy()
    return app


def close_test_app(app, clean: bool = True) -> None:
    """Empty the per-test tables (shared on PostgreSQL) and the storage of an app."""
    from repo_server.backends import get_storage

    with app.app_context():
        if clean:
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in SESSION_TABLES:
                    db.session.execute(delete(table))
            db.session.commit()
        under_test_s3 = S3_URL.split("?")[0] + "/"
        if S3_URL and app.config["STORAGE_URL"].startswith(under_test_s3):
            wipe_s3(get_storage())
        db.engine.dispose()


@pytest.fixture(scope="module", params=STORAGE_BACKENDS)
def storage_app(request, tmp_path_factory):
    """A module's app on local disk, then on S3 (a test module opts in by naming its
    ``app`` fixture after this one)."""
    import uuid

    instance = tmp_path_factory.mktemp(f"instance-{request.param}")
    url = f"file://{instance}/files"
    if request.param == "s3":
        from storage import from_url

        url = s3_test_url(f"files-{uuid.uuid4().hex[:12]}")
        from_url(url).ensure_bucket()
    app = make_test_app(instance, url)
    app.config["TEST_BACKEND"] = request.param
    yield app
    close_test_app(app, clean=False)


@pytest.fixture
def app_factory(tmp_path):
    """``app_factory(storage_url=None, **config)`` builds extra apps, closed afterwards."""
    made = []

    def make(storage_url=None, **config):
        instance = tmp_path / f"app{len(made)}"
        instance.mkdir()
        made.append(
            make_test_app(instance, storage_url or f"file://{instance}/files", **config)
        )
        return made[-1]

    yield make
    for app in made:
        close_test_app(app)


# --- Helpers of the files tests ------------------------------------------------------

FILES_MATERIAL = {
    "title": "Bài giảng Tập hợp",
    "kind": "slides",
    "subject": "TOAN",
    "grade": "6",
}


def create_material(client, **fields) -> int:
    """Create a draft material through the API and return its id."""
    response = client.post("/api/v1/materials", {**FILES_MATERIAL, **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def upload_file(client, material_id: int, data: bytes, name: str):
    """POST ``data`` as the multipart file ``name`` of a material."""
    import io

    return client.post(
        f"/api/v1/materials/{material_id}/files",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def fetch_file(client, url: str, headers: dict | None = None):
    """GET a file URL, following a redirect to S3; return (status, headers, body)."""
    import urllib.error
    import urllib.request

    with client.get(url, headers=headers or {}) as response:
        if response.status_code != 302:
            return response.status_code, response.headers, response.get_data()
    request = urllib.request.Request(
        response.headers["Location"], headers=headers or {}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as remote:  # noqa: S310
            return remote.status, remote.headers, remote.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


# --- Jobs ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _jobs_inline(request):
    """Jobs run inside the request in tests (threads would share one in-memory DB)."""
    if "app" in request.fixturenames:
        request.getfixturevalue("app").config["JOBS_INLINE"] = True


# --- Apps on each search backend (the search tests) -----------------------------------


def _search_backends() -> list:
    """SQLite FTS5, then OpenSearch and Elasticsearch when their URLs are set."""
    from tests.search.conftest import SKIP_ELASTIC, SKIP_OPENSEARCH

    return [
        "sqlite",
        pytest.param("opensearch", marks=SKIP_OPENSEARCH),
        pytest.param("elasticsearch", marks=SKIP_ELASTIC),
    ]


@pytest.fixture(scope="module", params=_search_backends())
def search_app(request, tmp_path_factory):
    """A module's app on the embedded index, then on each engine with a fresh index (a
    test module opts in with ``app`` returning this one); failed updates retry at once."""
    from tests.search.conftest import ENGINE_URLS, unique_url

    instance = tmp_path_factory.mktemp(f"search-{request.param}")
    url = "sqlite://"
    if request.param != "sqlite":
        url = unique_url(ENGINE_URLS[request.param])
    app = make_test_app(
        instance, f"file://{instance}/files", SEARCH_URL=url, SEARCH_RETRY_SECONDS=0
    )
    yield app
    backend = app.extensions["repo_search"]
    if hasattr(backend, "drop"):
        backend.drop()
    close_test_app(app, clean=False)


@pytest.fixture
def people(api, make_user):
    """Logged-in clients: two teachers, curators of Toán and Ngữ văn, student, admin."""
    return {
        "teacher": api(make_user("teacher")),
        "other": api(make_user("teacher")),
        "curator": api(make_user("curator")),
        "curator_nv": api(make_user("curator", subjects=["NV"])),
        "student": api(make_user("student")),
        "admin": api(make_user("admin")),
    }
