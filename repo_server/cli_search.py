"""``repo-server reindex [--pending]`` and ``repo-server search QUERY``."""

import html
import json
import re
import sys

import click
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from repo_server.cli import with_app
from repo_server.errors import Unavailable
from search import SORTS

#: A highlighted match in a snippet.
MARK = re.compile(r"<mark>(.*?)</mark>")
#: Command-line filter options → search argument names.
FILTERS = {
    "subject": "subject",
    "grade": "grade",
    "topic": "topic",
    "level": "cognitive_level",
    "qtype": "question_type",
    "kind": "kind",
    "material_kind": "material_kind",
    "status": "status",
    "org": "organisation",
    "series": "series",
}


@click.command()
@click.option(
    "--pending", is_flag=True, help="Only apply the changes waiting in the outbox."
)
@with_app
def reindex(pending):
    """Rebuild the search index from the database into a new index, then swap it in."""
    from repo_server.catalog import service

    if pending:
        _apply_pending()
        return
    total = service.count_items()
    if sys.stderr.isatty():
        label = "Đang lập chỉ mục"
        with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
            done = service.reindex(bar.update)
    else:
        done = service.reindex()
    click.echo(f"Đã dựng lại chỉ mục tìm kiếm: {done} mục.")


def _apply_pending() -> None:
    """Apply every outbox row now; exit 1 if the engine still fails."""
    from repo_server.catalog import service

    flushed = service.flush_outbox(force=True)
    click.echo(f"Đã cập nhật chỉ mục: {flushed.applied} thay đổi.")
    if flushed.error:
        click.echo(
            f"Lỗi: {flushed.failed} thay đổi chưa cập nhật được: {flushed.error}",
            err=True,
        )
        sys.exit(1)


def prepare_search_index() -> None:
    """Fill an empty index for ``init``; an unreachable engine only warns."""
    from repo_server.catalog.service import prepare_index

    try:
        click.echo(prepare_index())
    except Unavailable as exc:
        click.echo(
            f"Cảnh báo: {exc.message} (chạy lại `repo-server reindex`)", err=True
        )


@click.command("search")
@click.argument("query")
@click.option("--subject", multiple=True, help="Subject code or name (repeatable).")
@click.option("--grade", multiple=True, help="Grade code or name.")
@click.option("--topic", multiple=True, help="Topic code.")
@click.option("--level", multiple=True, help="Cognitive level code or name.")
@click.option("--type", "qtype", multiple=True, help="Question type.")
@click.option("--kind", multiple=True, help="question or material.")
@click.option("--material-kind", multiple=True, help="lecture, slides, video, …")
@click.option("--status", multiple=True, help="draft, submitted, published, …")
@click.option("--org", multiple=True, help="Organisation id or code.")
@click.option("--series", multiple=True, help="Textbook series code or name.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance")
@click.option("--page", type=int, default=1)
@click.option("--per-page", type=int, default=20)
@click.option("--as", "as_email", help="Search as this user (default: first admin).")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@with_app
def search(query, sort, page, per_page, as_email, as_json, **filters):
    """Search questions and materials as a user would (their visibility applies)."""
    from repo_server.catalog import service
    from repo_server.catalog.schemas import dump_results

    args = _arguments(query, sort, page, per_page, filters)
    results = service.search(_reader(as_email), args)
    if as_json:
        click.echo(json.dumps(dump_results(results), ensure_ascii=False, indent=2))
    else:
        _print_results(results)


def _reader(email: str | None):
    """Return the user to search as: ``--as``, else the first administrator."""
    from repo_server.accounts.service import find_user, first_admin
    from repo_server.errors import NotFound

    user = find_user(email) if email else first_admin()
    if user is None:
        raise NotFound("Chưa có quản trị viên; dùng --as EMAIL.")
    return user


def _arguments(query, sort, page, per_page, filters: dict) -> dict:
    """Validate the options with the API's schema (bad values exit 2)."""
    from repo_server.catalog.schemas import load_search_args

    data = MultiDict(
        [("q", query), ("sort", sort), ("page", page), ("per_page", per_page)]
    )
    for option, values in filters.items():
        for value in values:
            data.add(FILTERS[option], value)
    try:
        return load_search_args(data)
    except ValidationError as exc:
        raise click.UsageError(json.dumps(exc.messages, ensure_ascii=False)) from exc


def _print_results(results) -> None:
    """Print hits with highlighted matches, then the facet counts."""
    total = results.total if results.total_exact else results.total - 1
    pages = max(1, -(-total // results.per_page))
    more = "" if results.total_exact else "+"
    click.echo(f"{total}{more} kết quả (trang {results.page}/{pages})")
    first = (results.page - 1) * results.per_page + 1
    for number, hit in enumerate(results.hits, first):
        click.echo(f"{number:>4}. [{hit.kind} #{hit.id}] {hit.title}")
        click.echo(f"      {_terminal(hit.snippet)}")
    for key, values in results.facets.items():
        if values:
            shown = ", ".join(f"{v.label} ({v.count})" for v in values[:8])
            click.echo(f"  {key}: {shown}")


def _terminal(snippet: str) -> str:
    """Turn a snippet's HTML into text, matches in bold (plain when not a terminal)."""
    parts = MARK.split(snippet)
    return "".join(
        click.style(html.unescape(part), bold=True) if i % 2 else html.unescape(part)
        for i, part in enumerate(parts)
    )
