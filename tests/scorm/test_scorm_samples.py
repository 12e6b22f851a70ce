"""The shared real-world SCORM manifests and package read as expected."""

import pytest

from scorm import ScormError, open_package, read_manifest
from tests.qti.support import SAMPLES, require

#: sample folder → (version, launch page, SCOs, launchable items)
EXPECTED = {
    "scorm12/ContentPackagingSingleSCO_SCORM12": ("1.2", "shared/launchpage.html", 1, 1),
    "scorm12/K100": ("1.2", "index_en.html", 1, 1),
    "scorm12/RuntimeBasicCalls_SCORM12": ("1.2", "shared/launchpage.html", 1, 1),
    "scorm2004/golf/ContentPackagingSingleSCO_SCORM20042ndEdition": (
        "2004 2nd", "shared/launchpage.html", 1, 1),
    "scorm2004/golf/MinimalValid_SCORM20043rdEdition": ("2004 3rd", "index.html", 0, 1),
    "scorm2004/golf/RuntimeBasicCalls_SCORM20043rdEdition": (
        "2004 3rd", "shared/launchpage.html", 1, 1),
    "scorm2004/golf/SequencingPostTestRollup4thEd_SCORM20044thEdition": (
        "2004 4th", "shared/launchpage.html?content=playing", 5, 5),
    "scorm2004/adl-cts/LMSTestPackage_API": (
        "2004 4th", "resources/AssetLaunchTest.htm?tc=API&act=1", 2, 3),
    "scorm2004/adl-cts/LMSTestPackage_T-01a": (
        "2004 4th", "resources/SequencingTest.htm?tc=T-01a&act=1", 29, 29),
    "scorm2004/adl-cts/LMSTestPackage_CM-01": (
        "2004 4th", "resources/SequencingTest.htm?tc=CM-01&act=1", 3, 3),
}  # fmt: skip


@pytest.fixture(autouse=True)
def _samples():
    require(SAMPLES / "scorm12")
    require(SAMPLES / "scorm2004")


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_sample_manifest_reads_as_expected(folder):
    package = read_manifest((SAMPLES / folder / "imsmanifest.xml").read_bytes())
    version, launch, scos, launchables = EXPECTED[folder]
    assert package.version == version
    assert package.launch == launch
    assert len(package.scos) == scos
    assert len(package.launchables) == launchables
    assert package.title


def test_every_2004_sample_is_2004():
    for path in sorted((SAMPLES / "scorm2004").rglob("imsmanifest.xml")):
        assert read_manifest(path.read_bytes()).edition == "2004", path


def test_sequencing_is_reported_as_a_warning():
    folder = "scorm2004/golf/SequencingPostTestRollup4thEd_SCORM20044thEdition"
    package = read_manifest((SAMPLES / folder / "imsmanifest.xml").read_bytes())
    assert any("sequencing" in w for w in package.warnings)


def test_missing_launch_url_is_refused_with_the_reason():
    data = (SAMPLES / "scorm12/MissingLaunchUrl_SCORM12/imsmanifest.xml").read_bytes()
    with pytest.raises(ScormError, match="thiếu trang khởi chạy"):
        read_manifest(data)


def test_whole_golf_package_opens():
    path = SAMPLES / "scorm12/packages/golf_ContentPackagingOneFilePerSCO_SCORM12.zip"
    with path.open("rb") as stream:
        opened = open_package(stream)
    package = opened.package
    assert (package.version, package.launch) == ("1.2", "Playing/Playing.html")
    assert len(package.launchables) > 10 and not package.scos
    assert "Playing/Playing.html" in opened.entries
    opened.close()
