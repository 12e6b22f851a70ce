"""Classes of a school and their students (who a quiz is given to)."""

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from repo_server.accounts.models import User
from repo_server.accounts.service import require_role
from repo_server.errors import Conflict, Forbidden, Invalid, NotFound
from repo_server.extensions import db
from repo_server.orgs.models import Organisation
from repo_server.quizzes.models import SchoolClass, class_members

logger = logging.getLogger(__name__)
STAFF = ("teacher", "curator", "admin")


def list_classes(user) -> list[SchoolClass]:
    """Classes the user may see: all (admin), the school's (staff), their own (students)."""
    query = select(SchoolClass).order_by(SchoolClass.name)
    if user.role == "student":
        query = query.join(class_members).where(class_members.c.user_id == user.id)
    elif user.role != "admin":
        query = query.where(SchoolClass.school_id == user.org_id)
    return list(db.session.scalars(query))


def school_students(user) -> list[User]:
    """Students of the user's school, by name (for the class form)."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == "student", User.org_id == user.org_id)
            .order_by(User.name)
            .limit(2000)
        )
    )


def get_class(user, class_id: int) -> SchoolClass:
    """Return a class the user may see, or raise NotFound."""
    cls = db.session.get(SchoolClass, class_id)
    visible = cls is not None and (
        user.role == "admin"
        or (user.role == "student" and user in cls.members)
        or (user.role != "student" and cls.school_id == user.org_id)
    )
    if not visible:
        raise NotFound(_("Không tìm thấy lớp #%(id)s.", id=class_id))
    return cls


def create_class(user, data: dict) -> SchoolClass:
    """Create a class in the user's school (admins: any school)."""
    require_role(user, *STAFF)
    school_id = data.get("school_id") or user.org_id
    _check_school(user, school_id)
    cls = SchoolClass(name=data["name"], school_id=school_id, created_by_id=user.id)
    _check_unique(cls)
    db.session.add(cls)
    cls.members = _students(school_id, data.get("student_ids") or [])
    db.session.commit()
    logger.info("class %s created by %s", cls.name, user.email)
    return cls


def update_class(user, class_id: int, data: dict) -> SchoolClass:
    """Rename a class or set its students (its creator, staff of the school, admins)."""
    cls = _editable(user, class_id)
    if "name" in data:
        cls.name = data["name"]
        _check_unique(cls)
    if data.get("student_ids") is not None:
        cls.members = _students(cls.school_id, data["student_ids"])
    db.session.commit()
    return cls


def delete_class(user, class_id: int) -> None:
    """Delete a class (quizzes keep the attempts already generated for it)."""
    cls = _editable(user, class_id)
    db.session.delete(cls)
    db.session.commit()


def _editable(user, class_id: int) -> SchoolClass:
    cls = get_class(user, class_id)
    require_role(user, *STAFF)
    if user.role != "admin" and cls.school_id != user.org_id:
        raise Forbidden(_("Bạn không có quyền thực hiện thao tác này."))
    return cls


def _check_school(user, school_id: int) -> None:
    school = db.session.get(Organisation, school_id)
    if school is None or school.kind != "school":
        message = _("Lớp phải thuộc một trường học.")
        raise Invalid(message, {"school_id": [message]})
    if user.role != "admin" and school_id != user.org_id:
        raise Forbidden(_("Chỉ tạo được lớp của trường mình."))


def _check_unique(cls: SchoolClass) -> None:
    clash = db.session.scalar(
        select(SchoolClass.id).where(
            SchoolClass.school_id == cls.school_id,
            SchoolClass.name == cls.name,
            SchoolClass.id != (cls.id or 0),
        )
    )
    if clash:
        raise Conflict(_("Trường đã có lớp %(n)s.", n=cls.name), {"name": ["exists"]})


def _students(school_id: int, ids: list[int]) -> list[User]:
    """The students with these ids; every one must be a student of the school."""
    ids = list(dict.fromkeys(ids))
    found = list(db.session.scalars(select(User).where(User.id.in_(ids))))
    bad = sorted(
        set(ids)
        - {u.id for u in found if u.role == "student" and u.org_id == school_id}
    )
    if bad:
        message = _(
            "Không phải học sinh của trường: %(ids)s.", ids=", ".join(map(str, bad))
        )
        raise Invalid(message, {"student_ids": [message]})
    return found


def dump_class(cls: SchoolClass, with_members: bool = True) -> dict:
    """The JSON of a class."""
    out = {"id": cls.id, "name": cls.name, "school_id": cls.school_id}
    if with_members:
        out["students"] = [
            {"id": u.id, "name": u.name, "email": u.email} for u in cls.members
        ]
    return out
