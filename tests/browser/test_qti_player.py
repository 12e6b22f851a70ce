"""Our QTI 3.0 items play in a real QTI 3 player: Cito's ``@citolab/qti-components``.

The player (GPL-3.0, a test tool only: never shipped) is installed with ``npm ci``
into tests/qti/player/node_modules; Chromium comes from tests/browser/conftest.py.
Each exported item is rendered in headless Chromium, answered through the
interactions' API, and scored by the player's own response processing: the right
answer gets the full score, a wrong one zero.
"""

import functools
import http.server
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from qti import write_item
from tests.qti.factories import make_items

pytestmark = pytest.mark.browser

PLAYER = Path(__file__).parents[1] / "qti" / "player"
BUNDLE = PLAYER / "node_modules/@citolab/qti-components/cdn/index.js"
PAGE = b"""<!doctype html><html><head><meta charset="utf-8">
<script type="module">import * as Q from "./qti.js"; window.Q = Q; window.ready = true;</script>
</head><body><div id="host"></div></body></html>"""
#: Type → (right answer, wrong answer), as the interaction's response value.
ANSWERS = {
    "single_choice": ("A", "B"),
    "multiple_response": (["A", "C"], ["A", "B"]),
    "true_false": ("true", "false"),
    "true_false_cluster": (
        ["a true", "b false", "c false", "d true"],
        ["a false", "b true", "c true", "d false"],
    ),
    "numeric": ("3.14", "3.2"),
    "numeric_integer": ("3", "4"),
}
#: Render an item, answer it, let the player score it; return SCORE.
SCORE_JS = """async ([xml, tag, response]) => {
  const host = document.getElementById("host");
  host.innerHTML = Q.qtiTransformItem().parse(xml).html();
  await customElements.whenDefined("qti-assessment-item");
  const item = host.querySelector("qti-assessment-item");
  await item.updateComplete;
  const interaction = item.querySelector(tag);
  await interaction.updateComplete;
  interaction.response = response;
  interaction.saveResponse(response);
  item.processResponse();
  return item.getOutcome("SCORE").value;
}"""
INTERACTION = {
    "true_false_cluster": "qti-match-interaction",
    "numeric": "qti-text-entry-interaction",
    "numeric_integer": "qti-text-entry-interaction",
}


def _player() -> Path:
    """Return the player bundle, installing it with ``npm ci`` when missing."""
    if not BUNDLE.exists():
        if shutil.which("npm") is None:
            pytest.skip("the QTI 3 player test needs npm (apt-get install npm)")
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=PLAYER,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode or not BUNDLE.exists():
            pytest.skip(
                f"could not install @citolab/qti-components: {done.stderr[-500:]}"
            )
    return BUNDLE


@pytest.fixture(scope="module")
def player_url(tmp_path_factory):
    """A local web server with the player bundle and an empty page."""
    root = tmp_path_factory.mktemp("player")
    shutil.copy(_player(), root / "qti.js")
    (root / "index.html").write_bytes(PAGE)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            """No access log in the test output."""

    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/index.html"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def page(player_url, chromium):
    """A page of the suite's Chromium (tests/browser/conftest.py) with the player."""
    page = chromium.new_page()
    page.goto(player_url)
    page.wait_for_function("window.ready === true")
    yield page
    page.close()


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_player_scores_right_answers_full_and_wrong_ones_zero(page, name):
    xml = write_item(make_items()[name], "3.0").decode("utf-8")
    tag = INTERACTION.get(name, "qti-choice-interaction")
    right, wrong = ANSWERS[name]
    assert float(page.evaluate(SCORE_JS, [xml, tag, right])) == 1.0
    assert float(page.evaluate(SCORE_JS, [xml, tag, wrong])) == 0.0


def test_player_gives_the_cluster_its_partial_credit(page):
    xml = write_item(make_items()["true_false_cluster"], "3.0").decode("utf-8")
    three_right = ["a true", "b false", "c false", "d false"]
    score = page.evaluate(SCORE_JS, [xml, "qti-match-interaction", three_right])
    assert float(score) == 0.5
