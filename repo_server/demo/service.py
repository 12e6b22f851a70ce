"""The demo data set: organisations, users of every role, questions and materials."""

import json
from pathlib import Path

from sqlalchemy import select

from repo_server.accounts.models import User
from repo_server.accounts.service import create_user, find_user
from repo_server.extensions import db
from repo_server.files.service import store_file
from repo_server.materials.service import create_material, transition_material
from repo_server.orgs.models import Organisation
from repo_server.orgs.service import create_organisation, find_organisation
from repo_server.questions.service import create_question, transition_question

DEMO_FILE = Path(__file__).parent / "data" / "demo.json"
FILES_DIR = Path(__file__).parent / "data" / "files"
#: Material title → (file in FILES_DIR, name shown to users) attached to it.
DEMO_FILES = {
    "Bài giảng trình chiếu: Tập hợp (Toán 6)": [("tap-hop.pdf", "Bài 1 - Tập hợp.pdf")],
    "Phiếu học tập: Dấu hiệu chia hết cho 2, 5, 3, 9": [
        ("chia-het.docx", "Phiếu học tập - Dấu hiệu chia hết.docx")
    ],
    "Sơ đồ tư duy: Chương III. Số nguyên": [("so-nguyen.png", "Sơ đồ tư duy.png")],
    "Video hướng dẫn: Giải hệ phương trình bằng phương pháp thế và phương pháp cộng "
    "đại số": [("he-phuong-trinh.webm", "Video - Giải hệ phương trình.webm")],
    "Bài giảng: Tốc độ chuyển động": [("toc-do.pptx", "Tốc độ chuyển động.pptx")],
    "Mô phỏng: Sự phản xạ ánh sáng trên gương phẳng": [
        ("phan-xa.html", "Mô phỏng phản xạ ánh sáng.html")
    ],
    "Bài đọc mẫu: Ngưỡng cửa (Vũ Quần Phương)": [("nguong-cua.ogg", "Bài đọc mẫu.ogg")],
}
#: The moves that bring a new draft to each demo status.
MOVES = {
    "draft": (),
    "submitted": ("submit",),
    "published": ("submit", "publish"),
    "returned": ("submit", "return"),
}


def seed_demo(path: Path = DEMO_FILE) -> list[str]:
    """Create the demo data unless it is there already; return lines to print."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if db.session.scalar(
        select(User.id).where(User.email == data["users"][0]["email"])
    ):
        return ["Dữ liệu mẫu đã có sẵn; không tạo lại.", *_logins(data)]
    _seed_organisations(data["organisations"])
    _seed_users(data["users"])
    reviewer = _first_with_role("curator")
    for entry in data["questions"]:
        _seed_content(
            entry,
            reviewer,
            create_question,
            transition_question,
            {
                "item": entry["item"],
                "cognitive_level": entry.get("cognitive_level"),
                "difficulty": entry.get("difficulty"),
            },
        )
    for entry in data["materials"]:
        fields = {
            k: entry.get(k)
            for k in ("title", "description", "kind", "series", "language")
            if entry.get(k) is not None
        }
        _seed_content(entry, reviewer, _create_with_files, transition_material, fields)
    return _summary(data)


def _create_with_files(author: User, data: dict):
    """Create a demo material and attach its sample files while it is a draft."""
    material = create_material(author, data)
    for disk_name, shown_name in DEMO_FILES.get(data["title"], ()):
        with open(FILES_DIR / disk_name, "rb") as stream:
            store_file(author, material, stream, shown_name)
    return material


def _seed_organisations(entries) -> None:
    for entry in entries:
        parent = find_organisation(entry["parent"]).id if entry.get("parent") else None
        create_organisation(None, {**entry, "parent_id": parent})


def _seed_users(entries) -> None:
    for entry in entries:
        org = find_organisation(entry["org"])
        create_user(None, {**entry, "org_id": org.id})


def _first_with_role(role: str) -> User:
    return db.session.scalar(select(User).where(User.role == role).order_by(User.id))


def _seed_content(entry, reviewer, create, transition, fields) -> None:
    author = find_user(entry["author"])
    common = {
        k: entry.get(k)
        for k in ("subject", "grade", "topic", "licence", "tags")
        if entry.get(k) is not None
    }
    created = create(author, {**common, **fields})
    for action in MOVES[entry.get("status", "draft")]:
        actor = author if action == "submit" else _reviewer_for(created, reviewer)
        comment = "Cần bổ sung lời giải chi tiết." if action == "return" else None
        transition(actor, created.id, action, comment)


def _reviewer_for(item, default: User) -> User:
    """A curator of the item's subject, else the first admin."""
    for curator in db.session.scalars(select(User).where(User.role == "curator")):
        if item.subject_code in curator.subject_codes:
            return curator
    return db.session.scalar(select(User).where(User.role == "admin")) or default


def _summary(data: dict) -> list[str]:
    lines = [
        "Đã tạo dữ liệu mẫu:",
        f"  {db.session.query(Organisation).count()} đơn vị, "
        f"{len(data['users'])} người dùng, {len(data['questions'])} câu hỏi, "
        f"{len(data['materials'])} học liệu, "
        f"{sum(len(files) for files in DEMO_FILES.values())} tệp đính kèm.",
    ]
    return lines + _logins(data)


def _logins(data: dict) -> list[str]:
    lines = ["Tài khoản mẫu (email / mật khẩu):"]
    return lines + [
        f"  {u['role']:<8} {u['email']} / {u['password']}" for u in data["users"]
    ]
