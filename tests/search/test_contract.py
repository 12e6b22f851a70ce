"""The SearchBackend contract, run against every backend (engines when their URL is set)."""

from __future__ import annotations

import socket
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from search import (
    Page,
    Query,
    SearchBackend,
    SearchError,
    Visibility,
    from_url,
)

STUDENT = Visibility()
ADMIN = Visibility(all=True)


def ids(page: Page) -> list[int]:
    """Return the document ids of a page's hits, in order."""
    return [hit.id for hit in page.hits]


def find(backend: SearchBackend, text: str = "", **kwargs) -> Page:
    """Search as an administrator unless told otherwise."""
    kwargs.setdefault("visibility", ADMIN)
    return backend.search(Query(text, **kwargs))


def test_new_backend_answers_and_is_empty(backend):
    assert isinstance(backend, SearchBackend)
    assert backend.ping() is True
    assert backend.count() == 0
    assert find(backend, "toán") == Page(total=0, hits=[], facets={})


def test_index_search_and_count(backend, make_doc):
    backend.index(
        [
            make_doc(1, "Phương trình bậc hai", "Giải phương trình x² − 5x + 6 = 0."),
            make_doc(2, "Hệ phương trình", "Giải hệ hai phương trình bậc nhất."),
            make_doc(3, "Truyện Kiều", "Nguyễn Du", kind="material", subject="van"),
        ]
    )
    assert backend.count() == 3
    page = find(backend, "phương trình")
    assert sorted(ids(page)) == [1, 2] and page.total == 2
    hit = next(h for h in page.hits if h.id == 1)
    assert (hit.kind, hit.title) == ("question", "Phương trình bậc hai")
    assert hit.score > 0
    assert ids(find(backend, "kieu")) == [3]


def test_index_replaces_a_document(backend, make_doc):
    backend.index([make_doc(1, "Hình tam giác")])
    backend.index([make_doc(1, "Hình tròn")])
    assert backend.count() == 1
    assert ids(find(backend, "tròn")) == [1]
    assert ids(find(backend, "tam giác")) == []


def test_delete_is_per_kind_and_ignores_unknown_ids(backend, make_doc):
    backend.index(
        [
            make_doc(1, "Lá cây"),
            make_doc(2, "Lá cờ"),
            make_doc(1, "Lá thư", kind="material"),
        ]
    )
    backend.delete("question", [1, 99])
    assert backend.count() == 2
    assert sorted((h.kind, h.id) for h in find(backend, "lá").hits) == [
        ("material", 1),
        ("question", 2),
    ]


def test_reset_removes_everything(backend, make_doc):
    backend.index([make_doc(1, "Nguyên tử"), make_doc(2, "Phân tử")])
    backend.reset()
    assert backend.count() == 0
    assert find(backend, "tử").total == 0
    backend.index([make_doc(3, "Ion")])
    assert ids(find(backend, "ion")) == [3]


@pytest.fixture
def catalogue(backend, make_doc):
    """Six documents over two subjects, grades and statuses, written by two authors."""
    backend.index(
        [
            make_doc(1, "Phân số", "Cộng phân số", facets={"grade": "6"}),
            make_doc(
                2, "Phân số thập phân", "Số thập phân", facets={"grade": ["6", "7"]}
            ),
            make_doc(3, "Tỉ số phần trăm", "Phần trăm", facets={"grade": "7"}),
            make_doc(4, "Số nguyên tố", "Nháp", status="draft", author_id=7),
            make_doc(5, "Số vô tỉ", "Chờ duyệt", status="submitted", author_id=7),
            make_doc(
                6, "Số từ", "Từ loại", subject="van", status="submitted", author_id=8
            ),
        ]
    )
    return backend


def test_filters_and_within_keys_or_across_values(catalogue):
    assert sorted(ids(find(catalogue, filters={"grade": ["6"]}))) == [1, 2]
    assert sorted(ids(find(catalogue, filters={"grade": ["6", "7"]}))) == [1, 2, 3]
    both = find(catalogue, "thập phân", filters={"grade": ["7"], "subject": ["toan"]})
    assert ids(both) == [2]
    assert find(catalogue, filters={"grade": ["7"], "subject": ["van"]}).total == 0
    assert find(catalogue, filters={"kind": ["material"]}).total == 0
    assert find(catalogue, filters={"grade": []}).total == 6


def test_facet_counts_follow_text_filters_and_visibility(catalogue):
    page = find(catalogue, "số", facets=("grade", "subject", "status"))
    assert page.facets["grade"] == [("6", 2), ("7", 2)]
    assert page.facets["subject"] == [("toan", 5), ("van", 1)]
    assert page.facets["status"] == [("published", 3), ("submitted", 2), ("draft", 1)]
    student = catalogue.search(
        Query("số", facets=("subject", "kind"), visibility=STUDENT)
    )
    assert student.total == 3
    assert student.facets == {"subject": [("toan", 3)], "kind": [("question", 3)]}
    narrowed = find(catalogue, filters={"grade": ["7"]}, facets=("grade", "topic"))
    assert narrowed.facets == {"grade": [("7", 2), ("6", 1)], "topic": []}


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        (STUDENT, [1, 2, 3]),
        (Visibility(own_author_id=7), [1, 2, 3, 4, 5]),
        (
            Visibility(curated_subjects=("toan",), curated_statuses=("submitted",)),
            [1, 2, 3, 5],
        ),
        (
            Visibility(curated_subjects=("van",), curated_statuses=("submitted",)),
            [1, 2, 3, 6],
        ),
        (ADMIN, [1, 2, 3, 4, 5, 6]),
        (Visibility(statuses_all=()), []),
    ],
    ids=["student", "teacher", "curator-toan", "curator-van", "admin", "nobody"],
)
def test_visibility_applies_inside_the_query(catalogue, visibility, expected):
    page = catalogue.search(
        Query("", visibility=visibility, per_page=2, facets=("status",))
    )
    assert page.total == len(expected)
    assert sum(count for _, count in page.facets["status"]) == len(expected)
    everything = catalogue.search(Query("", visibility=visibility, per_page=100))
    assert sorted(ids(everything)) == expected


def test_own_means_authored_or_written(backend, make_doc):
    draft = make_doc(1, "Bản nháp phiên bản hai", status="draft", author_id=7)
    backend.index(
        [replace(draft, writer_id=9), make_doc(2, "Khác", status="draft", author_id=8)]
    )
    for user in (7, 9):
        page = backend.search(Query("", visibility=Visibility(own_author_id=user)))
        assert ids(page) == [1]
    assert ids(find(backend, "", visibility=Visibility(own_author_id=8))) == [2]


def test_answer_text_is_matched_only_when_allowed_and_never_shown(backend, make_doc):
    doc = replace(
        make_doc(1, "Tập hợp rỗng", "Chọn đáp án đúng"),
        answer_text="Lời giải: tập hợp không có phần tử nào.",
    )
    backend.index([doc])
    student = Query("phần tử", visibility=STUDENT)
    assert backend.search(student).total == 0
    teacher = backend.search(Query("phan tu", visibility=Visibility(answers=True)))
    assert ids(teacher) == [1]
    assert "phần tử" not in teacher.hits[0].snippet
    both = backend.search(Query("rỗng phần tử", visibility=Visibility(answers=True)))
    assert ids(both) == [1]
    assert find(backend, "phần tử").total == 0  # all=True alone does not add answers


def test_pagination_is_stable_and_complete(backend, make_doc):
    backend.index([make_doc(i, f"Bài tập số {i}", "Luyện tập") for i in range(1, 26)])
    pages = [find(backend, "bài tập", page=n, per_page=10) for n in (1, 2, 3)]
    assert [p.total for p in pages] == [25, 25, 25]
    assert [len(p.hits) for p in pages] == [10, 10, 5]
    seen = [i for p in pages for i in ids(p)]
    assert sorted(seen) == list(range(1, 26))
    assert find(backend, "bài tập", page=4, per_page=10).hits == []


def test_sort_newest_orders_by_created_at_then_id(backend, make_doc):
    backend.index(
        [
            make_doc(1, "Địa lí châu Á", created_at="2024-03-01T08:00:00"),
            make_doc(2, "Địa lí châu Âu", created_at="2024-05-01T08:00:00"),
            make_doc(3, "Địa lí châu Phi", created_at="2024-04-01T08:00:00"),
            make_doc(4, "Địa lí châu Mĩ", created_at="2024-04-01T08:00:00"),
        ]
    )
    assert ids(find(backend, "địa lí", sort="newest")) == [2, 4, 3, 1]
    assert ids(find(backend, sort="newest")) == [2, 4, 3, 1]
    assert ids(find(backend)) == [2, 4, 3, 1]


def test_snippets_mark_matches_and_escape_html(backend, make_doc):
    body = "Cho <b>hàm số</b> y = x & giải phương trình bậc hai sau đây."
    backend.index([make_doc(1, "Đề kiểm tra", body), make_doc(2, "Phương trình", "")])
    hits = {hit.id: hit.snippet for hit in find(backend, "phuong trinh").hits}
    snippet = hits[1]
    assert "<mark>phương</mark> <mark>trình</mark>" in snippet
    assert "&lt;b&gt;hàm số&lt;/b&gt;" in snippet and "&amp;" in snippet
    assert "<b>" not in snippet
    assert hits[2] == "<mark>Phương</mark> <mark>trình</mark>"
    plain = find(backend, "", filters={"kind": ["question"]}).hits
    assert {h.id: h.snippet for h in plain}[1].startswith("Cho &lt;b&gt;hàm số")


def test_prefix_phrase_and_nfd_queries(backend, make_doc):
    nfd = unicodedata.normalize("NFD", "Sự quang hợp ở thực vật")
    backend.index(
        [make_doc(1, nfd, "Lá cây hấp thụ ánh sáng"), make_doc(2, "Ánh trăng")]
    )
    assert ids(find(backend, "quang h")) == [1]
    assert ids(find(backend, unicodedata.normalize("NFD", "quang hợp"))) == [1]
    assert ids(find(backend, '"ánh sáng"')) == [1]
    assert ids(find(backend, '"sáng ánh"')) == []
    assert "<mark>quang</mark>" in find(backend, "quang hop").hits[0].snippet.lower()
    assert find(backend, "!!! ???").total == 2
    assert find(backend, 'NOT OR AND NEAR( "*:^ - lá').total == 0


def test_phrases_match_consecutive_words_in_order_within_one_field(backend, make_doc):
    backend.index(
        [
            make_doc(1, "Giải phương trình bậc hai", "Tìm nghiệm."),
            # Every pair of the phrase, but never all of it in a row.
            make_doc(2, "Phương trình bậc nhất và bậc hai", "Hai phương trình."),
            make_doc(3, "Về phương trình", "bậc hai"),
            make_doc(4, "Phuong trinh bac hai", "Không dấu."),
            make_doc(5, "Hoà bình", "Thuỷ triều lên."),
        ]
    )
    marked = find(backend, '"phương trình bậc hai"')
    assert ids(marked)[0] == 1 and sorted(ids(marked)) == [1, 4]
    assert sorted(ids(find(backend, '"phuong trinh bac hai"'))) == [1, 4]
    assert find(backend, '"bậc hai phương trình"').total == 0
    assert sorted(ids(find(backend, '"hai phương trình"'))) == [2]
    assert ids(find(backend, '"hòa bình"')) == [5]
    assert ids(find(backend, unicodedata.normalize("NFD", '"thủy triều lên"'))) == [5]


def test_rebuild_swaps_while_searches_keep_working(backend, make_doc):
    backend.index([make_doc(1, "Cũ một"), make_doc(2, "Cũ hai")])
    backend.begin_rebuild()
    backend.index([make_doc(3, "Mới ba")])
    assert sorted(ids(find(backend, "cũ"))) == [1, 2]
    assert find(backend, "mới").total == 0
    assert backend.count() == 2
    backend.finish_rebuild()
    assert ids(find(backend, "mới")) == [3]
    assert find(backend, "cũ").total == 0 and backend.count() == 1
    backend.index([make_doc(4, "Sau khi dựng lại")])
    backend.begin_rebuild()
    backend.index([make_doc(5, "Lần hai")])
    backend.finish_rebuild()
    assert ids(find(backend)) == [5]
    with pytest.raises(RuntimeError):
        backend.finish_rebuild()


def test_concurrent_writes_and_reads(backend, make_doc):
    def work(offset: int) -> None:
        for i in range(5):
            backend.index([make_doc(offset + i, f"Câu hỏi {offset + i}")])
            backend.search(Query("câu hỏi", visibility=ADMIN))

    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(work, n * 100) for n in range(4)]:
            future.result()
    assert backend.count() == 20


def test_rebuild_leaves_one_index_behind_the_alias(engine, make_doc):
    backend = engine
    backend.index([make_doc(1, "Một")])
    before = set(backend.client.indices.get_alias(name=backend.name))
    backend.begin_rebuild()
    backend.index([make_doc(2, "Hai")])
    backend.finish_rebuild()
    after = set(backend.client.indices.get_alias(name=backend.name))
    assert len(before) == len(after) == 1 and before != after
    assert not backend.client.indices.exists(index=before.pop())
    assert next(iter(after)).startswith(backend.name + "-")


def test_sqlite_rebuild_is_seen_by_another_connection(tmp_path, make_doc):
    url = f"sqlite:///{tmp_path}/shared.sqlite3"
    writer, reader = from_url(url), from_url(url)
    writer.index([make_doc(1, "Trước")])
    writer.begin_rebuild()
    writer.index([make_doc(2, "Sau")])
    assert ids(find(reader, "trước")) == [1]
    writer.finish_rebuild()
    assert ids(find(reader)) == [2]
    writer.close()
    reader.close()
    assert ids(find(from_url(url), "sau")) == [2]


def test_sqlite_index_of_an_older_layout_is_emptied_on_open(tmp_path, make_doc):
    import sqlite3

    url = f"sqlite:///{tmp_path}/old.sqlite3"
    old = from_url(url)
    old.index([make_doc(1, "Trước")])
    old.close()
    with sqlite3.connect(tmp_path / "old.sqlite3") as db:
        db.execute("UPDATE search_meta SET value = '1' WHERE key = 'layout'")
    db.close()
    reopened = from_url(url)
    assert reopened.count() == 0
    reopened.index([make_doc(2, "Sau")])
    assert ids(find(reopened, "sau")) == [2]
    reopened.close()


def free_port() -> int:
    """Return a local TCP port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_engine_raises_search_error_fast():
    pytest.importorskip("elasticsearch", reason="needs the 'elastic' extra")
    backend = from_url(f"http://127.0.0.1:{free_port()}/repo")
    started = time.monotonic()
    assert backend.ping() is False
    with pytest.raises(SearchError):
        backend.search(Query("toán"))
    with pytest.raises(SearchError):
        backend.index([])
    assert time.monotonic() - started < 5


def test_unopenable_sqlite_raises_search_error(tmp_path):
    with pytest.raises(SearchError):
        from_url(f"sqlite:///{tmp_path}/missing/dir/search.sqlite3")
