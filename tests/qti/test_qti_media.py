"""Pictures shown in question text travel in packages and come back where they were."""

import io
import zipfile
from dataclasses import replace

from qti import Item, Media, read_package, write_package
from qti.media import image_sources, rewrite_sources, with_shown_media
from qti.parser import parse_xml

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
OURS = "/api/v1/media/"


def _item() -> Item:
    return Item.from_dict(
        {
            "type": "single_choice",
            "identifier": "Q-anh",
            "stem": f'<p>Hình bên: <img src="{OURS}aa11" alt="tam giác"></p>',
            "choices": [
                {"id": "A", "text": f'<img src="{OURS}bb22"> Hình B'},
                {"id": "B", "text": "Không hình nào"},
            ],
            "correct": ["A"],
            "explanation": f'<img src="{OURS}aa11"> <img src="https://x.vn/a.png">',
        }
    )


def _accept(src: str) -> str | None:
    return "image/png" if src.startswith(OURS) else None


def test_image_sources_are_found_once_in_reading_order():
    assert image_sources(_item()) == [
        f"{OURS}aa11",
        f"{OURS}bb22",
        "https://x.vn/a.png",
    ]


def test_only_accepted_sources_become_media():
    item = with_shown_media(_item(), _accept)
    assert item.media == (
        Media(f"{OURS}aa11", "image/png"),
        Media(f"{OURS}bb22", "image/png"),
    )
    assert with_shown_media(item, _accept) == item  # already listed: unchanged


def test_rewriting_sources_changes_text_and_media_only():
    item = with_shown_media(_item(), _accept)
    moved = rewrite_sources(item, {f"{OURS}aa11": "media/aa11.png"})
    assert 'src="media/aa11.png"' in moved.stem
    assert 'src="media/aa11.png"' in moved.explanation
    assert 'src="https://x.vn/a.png"' in moved.explanation
    assert moved.media[0].src == "media/aa11.png" and moved.media[1] == item.media[1]
    assert rewrite_sources(moved, {"media/aa11.png": f"{OURS}aa11"}) == item


def test_package_carries_shown_pictures_and_import_points_back_at_them():
    item = with_shown_media(_item(), _accept)
    opened = []

    def opener(media: Media) -> bytes:
        opened.append(media.src)
        return PNG + media.src.encode()

    for version in ("2.1", "3.0"):
        buffer = io.BytesIO()
        write_package([item], buffer, version, media_opener=opener)
        with zipfile.ZipFile(buffer) as archive:
            names = archive.namelist()
            assert {"media/aa11.png", "media/bb22.png"} <= set(names)
            assert archive.read("media/bb22.png") == PNG + f"{OURS}bb22".encode()
            manifest = parse_xml(archive.read("imsmanifest.xml"))
        refs = [d.get("identifierref") for d in manifest.iter("{*}dependency")]
        media = [
            r for r in manifest.iter("{*}resource") if r.get("type") == "webcontent"
        ]
        assert sorted(refs) == sorted(r.get("identifier") for r in media)
        [(back, _meta)] = read_package(io.BytesIO(buffer.getvalue())).items
        local = [m.src for m in back.media if m.src.startswith("media/")]
        assert local == ["media/aa11.png", "media/bb22.png"]
        stored = {src: OURS + src[6:10] for src in local}
        web = Media("https://x.vn/a.png", "image/png")  # links are listed, not copied
        again = rewrite_sources(back, stored)
        assert replace(again, media=()) == replace(item, media=())
        shown = [(m.src, m.mime) for m in again.media]
        assert shown == [(m.src, m.mime) for m in (*item.media, web)]
    assert opened == [f"{OURS}aa11", f"{OURS}bb22"] * 2
