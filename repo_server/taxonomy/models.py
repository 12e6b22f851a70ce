"""The 2018 national curriculum: levels, grades, subjects, series, topics, cognitive levels."""

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_server.extensions import db

subject_grades = Table(
    "subject_grades",
    db.metadata,
    Column("subject_code", ForeignKey("subjects.code"), primary_key=True),
    Column("grade_code", ForeignKey("grades.code"), primary_key=True),
)


class Named:
    """Columns every taxonomy entry has: a code and names in both languages."""

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    order: Mapped[int] = mapped_column(default=0)


class Level(Named, db.Model):
    """A school level: MN (preschool), TH, THCS, THPT."""

    __tablename__ = "levels"


class Grade(Named, db.Model):
    """A grade 1–12, or a preschool age group (code such as "MG_5_6")."""

    __tablename__ = "grades"
    level_code: Mapped[str] = mapped_column(ForeignKey("levels.code"))


class Subject(Named, db.Model):
    """A subject or educational activity, taught in some grades."""

    __tablename__ = "subjects"
    grades = relationship("Grade", secondary=subject_grades, order_by="Grade.order")


class TextbookSeries(Named, db.Model):
    """A textbook series (bộ sách) such as Kết nối tri thức."""

    __tablename__ = "textbook_series"


class CognitiveLevel(Named, db.Model):
    """One of the four cognitive levels (Nhận biết … Vận dụng cao)."""

    __tablename__ = "cognitive_levels"


class Topic(db.Model):
    """A unit or lesson under subject × grade (optionally of one textbook series)."""

    __tablename__ = "topics"
    __table_args__ = (UniqueConstraint("code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    subject_code: Mapped[str] = mapped_column(ForeignKey("subjects.code"), index=True)
    grade_code: Mapped[str] = mapped_column(ForeignKey("grades.code"), index=True)
    series_code: Mapped[str | None] = mapped_column(ForeignKey("textbook_series.code"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"), index=True)
    name_vi: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    order: Mapped[int] = mapped_column(default=0)
