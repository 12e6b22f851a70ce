"""What each role sees first: own work, the review queue, new content, or counts."""

from repo_server.accounts.service import list_users
from repo_server.lifecycle.service import is_reviewer
from repo_server.materials.service import list_materials
from repo_server.orgs.service import list_organisations
from repo_server.questions.service import list_questions

LISTINGS = {"questions": list_questions, "materials": list_materials}
OWN_STATUSES = ("draft", "returned", "submitted", "published")


def listing_args(per_page: int = 10, sort: str = "-updated_at", **filters) -> dict:
    """Arguments of a listing service call, as the list schemas would load them."""
    return {"page": 1, "per_page": per_page, "sort": sort, **filters}


def dashboard(user) -> dict:
    """The sections of the home page of ``user``."""
    sections: dict = {}
    if user.role in ("teacher", "curator", "admin"):
        sections["own"] = own_work(user)
    if user.role in ("curator", "admin"):
        sections["queue"] = review_queue(user, per_page=10)
    if user.role == "student":
        sections["latest"] = latest_for_student(user)
    if user.role == "admin":
        _users, total_users = list_users(user, 1, 1)
        sections["counts"] = {
            "users": total_users,
            "organisations": len(list_organisations()),
        }
    return sections


def own_work(user) -> dict:
    """Counts of the user's items per status, and their returned items with comments."""
    counts, returned = {}, {}
    for kind, listing in LISTINGS.items():
        for status in OWN_STATUSES:
            args = listing_args(1, author=user.id, status=status)
            counts[(kind, status)] = listing(user, args)[1]
        args = listing_args(10, author=user.id, status="returned")
        returned[kind] = listing(user, args)[0]
    return {"counts": counts, "returned": returned}


def review_queue(user, per_page: int = 50) -> dict:
    """Submitted items the user may review, oldest first."""
    queue = {}
    for kind, listing in LISTINGS.items():
        args = listing_args(per_page, sort="updated_at", status="submitted")
        rows = listing(user, args)[0]
        queue[kind] = [row for row in rows if is_reviewer(user, row)]
    return queue


def latest_for_student(user) -> dict:
    """The newest published questions and materials of the student's grade."""
    grade = {"grade": user.grade_code} if user.grade_code else {}
    return {
        kind: listing(user, listing_args(8, **grade))[0]
        for kind, listing in LISTINGS.items()
    }
