"""Item statistics on fixtures whose expected values are worked out by hand below."""

import io
import math

import pytest
from openpyxl import load_workbook

from repo_server.quizzes import stats
from tests.server.quiz_helpers import publish, published_quiz, save, slots_by_question

#: Five students × three right/wrong items (totals 3, 2, 1, 1, 0).
MATRIX = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 0]]


def _column(j):
    return [row[j] for row in MATRIX]


def test_facility_and_cronbach_alpha_by_hand():
    assert [stats.facility(_column(j)) for j in range(3)] == [0.6, 0.4, 0.4]
    # Item variances p(1-p): .24 each, sum .72; totals 3,2,1,1,0 (mean 1.4) have
    # variance (2.56+.36+.16+.16+1.96)/5 = 1.04; alpha = 3/2 (1 - .72/1.04).
    assert stats.cronbach_alpha(MATRIX) == pytest.approx(1.5 * (1 - 0.72 / 1.04))


def test_point_biserial_against_the_rest_score_by_hand():
    totals = [sum(row) for row in MATRIX]
    # Item 1: x = 1,1,1,0,0; rest = 2,1,0,1,0. Deviations from .6 and .8 give
    # Sxy = .6, Sxx = 1.2, Srr = 2.8.
    assert stats.point_biserial(_column(0), totals) == pytest.approx(
        0.6 / math.sqrt(1.2 * 2.8)
    )
    # Item 2: x = 1,1,0,0,0; rest = 2,1,1,1,0: Sxy = 1, Sxx = 1.2, Srr = 2.
    assert stats.point_biserial(_column(1), totals) == pytest.approx(1 / math.sqrt(2.4))
    # Item 3: x = 1,0,0,1,0; rest = 2,2,1,0,0: Sxy = 0.
    assert stats.point_biserial(_column(2), totals) == pytest.approx(0.0)


def test_upper_lower_groups_of_27_percent():
    totals = [sum(row) for row in MATRIX]
    # round(.27 × 5) = 1 student per group: the top (3 points) and the bottom (0).
    assert [stats.upper_lower(_column(j), totals) for j in range(3)] == [1, 1, 1]
    # Ten students: groups of 3; the item is right only in the bottom group.
    item = [0] * 7 + [1] * 3
    assert stats.upper_lower(item, list(range(10, 0, -1))) == pytest.approx(-1.0)


def test_flags_negative_discrimination_and_unused_distractors():
    item = {"type": "single_choice", "choices": [{"id": k} for k in "ABCD"],
            "correct": ["B"]}  # fmt: skip
    counts = stats.option_counts(item, ["B", "A", "B", None])
    assert counts == {"A": 1, "B": 2, "C": 0, "D": 0, "omitted": 1}
    assert stats.flags(item, -0.2, 0.1, counts) == [
        "negative_discrimination", "unused_distractor:C", "unused_distractor:D",
    ]  # fmt: skip
    assert stats.flags(item, 0.3, 0.2, {**counts, "C": 1, "D": 1}) == []


def test_cluster_option_counts_per_statement():
    item = {"type": "true_false_cluster", "statements": [{"id": "a"}, {"id": "b"}]}
    counts = stats.option_counts(item, [{"a": True, "b": False}, {"a": True}])
    assert counts == {"a:Đ": 2, "a:S": 0, "b:Đ": 0, "b:S": 1, "omitted": 0}


def _quiz_with_answers(people, make_user, api, ids, answers_per_student):
    org = people["student"].get("/api/v1/me").get_json()["user"]["org_id"]
    quiz = published_quiz(people["teacher"], ids, org)
    slots = slots_by_question(quiz)
    for answers in answers_per_student:
        client = api(make_user("student"))
        attempt = client.post(f"/api/v1/quizzes/{quiz['id']}/start").get_json()["id"]
        for n, (qid, response) in enumerate(zip(ids, answers, strict=True), start=1):
            save(client, attempt, slots[qid], response, n)
        client.post(f"/api/v1/attempts/{attempt}/submit")
    return quiz


def test_quiz_statistics_endpoint(people, make_user, api):
    t, c = people["teacher"], people["curator"]
    ids = [publish(t, c) for _ in range(3)]  # single choice, key B, options A and B
    quiz = _quiz_with_answers(
        people, make_user, api, ids, [("B", "B", "B"), ("B", "A", "B"), ("A", "A", "B")]
    )
    data = t.get(f"/api/v1/quizzes/{quiz['id']}/stats").get_json()
    assert data["students"] == 3
    items = data["items"]
    # Q1: x = 1,1,0, rest = 2,1,1 (totals 3,2,1): Sxy = 1/3, Sxx = Srr = 2/3 → .5.
    assert [i["facility"] for i in items] == [round(2 / 3, 4), round(1 / 3, 4), 1.0]
    assert [i["point_biserial"] for i in items] == [0.5, 0.5, None]
    assert [i["discrimination"] for i in items] == [1.0, 1.0, 0.0]
    assert items[0]["options"] == {"A": 1, "B": 2, "omitted": 0}
    assert items[2]["flags"] == ["unused_distractor:A"]
    # Variances 2/9, 2/9, 0; totals 3, 2, 1 have variance 2/3: 3/2 (1 - (4/9)/(2/3)).
    assert data["cronbach_alpha"] == 0.5
    assert (
        people["student"].get(f"/api/v1/quizzes/{quiz['id']}/stats").status_code == 403
    )


def test_question_statistics_accumulate_over_quizzes(people, make_user, api):
    t, c = people["teacher"], people["curator"]
    ids = [publish(t, c) for _ in range(2)]
    _quiz_with_answers(
        people, make_user, api, ids, [("B", "B"), ("B", "A"), ("A", "A")]
    )
    _quiz_with_answers(people, make_user, api, ids[:1], [("B",)])
    data = t.get(f"/api/v1/questions/{ids[0]}/quiz-stats").get_json()
    assert [q["n"] for q in data["quizzes"]] == [3, 1]
    overall = data["overall"]
    assert overall["n"] == 4
    assert overall["facility"] == round((2 / 3 * 3 + 1 * 1) / 4, 4)
    assert overall["options"] == {"A": 1, "B": 3, "omitted": 0}
    assert (
        people["student"].get(f"/api/v1/questions/{ids[0]}/quiz-stats").status_code
        == 403
    )


def test_results_per_student_class_school_and_xlsx(people, make_user, api, tmp_path):
    t, c = people["teacher"], people["curator"]
    ids = [publish(t, c) for _ in range(2)]
    quiz = _quiz_with_answers(people, make_user, api, ids, [("B", "B"), ("B", "A")])
    data = t.get(f"/api/v1/quizzes/{quiz['id']}/results").get_json()
    assert sorted(s["score"] for s in data["students"]) == [1.0, 2.0]
    assert data["by_school"][0]["mean"] == 1.5
    assert data["counts"] == {"ready": 1, "in_progress": 0, "submitted": 2}
    assert data["students"][0]["answers"][0]["response"] == "B"
    response = t.get(f"/api/v1/quizzes/{quiz['id']}/results.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Kết quả", "Theo lớp", "Theo trường", "Thống kê câu hỏi"]
    rows = list(book["Kết quả"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Học sinh", "Email", "Trường")
    assert sorted(r[5] for r in rows[1:]) == [1.0, 2.0]
    assert (
        people["other"].get(f"/api/v1/quizzes/{quiz['id']}/results.xlsx").status_code
        == 404
    )
