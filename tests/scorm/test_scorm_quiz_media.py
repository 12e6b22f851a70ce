"""A quiz SCO carries the pictures its questions show, so it works offline."""

import io
from dataclasses import replace

from qti.items import Media
from scorm import open_package
from scorm.quiz import write_quiz_sco
from tests.qti.factories import make_items

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
OURS = "/api/v1/media/" + "a" * 64


def with_picture(src: str):
    item = make_items()["single_choice"]
    stem = f'<p>Hình bên: <img src="{src}" alt="hình"></p>'
    return replace(item, stem=stem, media=(Media(src, "image/png"),))


def test_site_pictures_are_copied_into_the_package_and_linked():
    opened_sources = []

    def opener(media):
        opened_sources.append(media.src)
        return PNG

    items = [with_picture(OURS), with_picture(OURS)]  # one copy for both
    out = io.BytesIO()
    assert write_quiz_sco(items, out, "2004", "Kiểm tra", media_opener=opener) == 2
    opened = open_package(io.BytesIO(out.getvalue()))
    assert opened.read("media/1.png") == PNG and opened_sources == [OURS]
    page = opened.read("index.html").decode()
    assert "media/1.png" in page and OURS not in page
    files = {f for asset in opened.package.resources for f in asset.files}
    assert "media/1.png" in files


def test_without_an_opener_or_for_urls_the_source_stays_a_link():
    url = "https://example.edu.vn/hinh.png"
    out = io.BytesIO()
    write_quiz_sco([with_picture(url)], out, "1.2", "Kiểm tra", media_opener=bytes)
    opened = open_package(io.BytesIO(out.getvalue()))
    assert url in opened.read("index.html").decode()
    assert not [path for path, _ in opened.files() if path.startswith("media/")]
