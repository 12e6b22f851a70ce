"""OMML → MathML for the common elements of Word equations."""

from lxml import etree

from importers.omml import omml_to_mathml

NS = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'


def convert(inner: str) -> tuple[str, str, set]:
    mathml, text, unknown = omml_to_mathml(
        etree.fromstring(f"<m:oMath {NS}>{inner}</m:oMath>")
    )
    prefix = '<math xmlns="http://www.w3.org/1998/Math/MathML">'
    assert mathml.startswith(prefix) and mathml.endswith("</math>")
    return mathml[len(prefix) : -len("</math>")], text, unknown


def r(text: str) -> str:
    return f"<m:r><m:t>{text}</m:t></m:r>"


def test_runs_split_into_numbers_identifiers_and_operators():
    assert convert(r("2x+3,5≤y")) == (
        "<mn>2</mn><mi>x</mi><mo>+</mo><mn>3,5</mn><mo>≤</mo><mi>y</mi>",
        "2x+3,5≤y",
        set(),
    )


def test_sums_with_limits_delimiters_and_functions():
    nary = (
        '<m:nary><m:naryPr><m:chr m:val="∑"/></m:naryPr>'
        f"<m:sub>{r('i=1')}</m:sub><m:sup>{r('n')}</m:sup><m:e>{r('i')}</m:e></m:nary>"
    )
    assert convert(nary)[0] == (
        "<mrow><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow>"
        "<mrow><mi>n</mi></mrow></munderover><mrow><mi>i</mi></mrow></mrow>"
    )
    delim = (
        '<m:d><m:dPr><m:begChr m:val="["/><m:endChr m:val="]"/></m:dPr>'
        f"<m:e>{r('a')}</m:e><m:e>{r('b')}</m:e></m:d>"
    )
    assert (
        convert(delim)[0] == "<mrow><mo>[</mo><mrow><mi>a</mi></mrow><mo>,</mo>"
        "<mrow><mi>b</mi></mrow><mo>]</mo></mrow>"
    )
    func = f"<m:func><m:fName>{r('sin')}</m:fName><m:e>{r('x')}</m:e></m:func>"
    assert convert(func)[0] == (
        "<mrow><mrow><mi>s</mi><mi>i</mi><mi>n</mi></mrow><mo>\u2061</mo><mrow><mi>x</mi></mrow></mrow>"
    )


def test_roots_subscripts_matrices_and_accents():
    root = f"<m:rad><m:deg>{r('3')}</m:deg><m:e>{r('8')}</m:e></m:rad>"
    assert (
        convert(root)[0]
        == "<mroot><mrow><mn>8</mn></mrow><mrow><mn>3</mn></mrow></mroot>"
    )
    sub = (
        f"<m:sSubSup><m:e>{r('x')}</m:e><m:sub>{r('1')}</m:sub>"
        f"<m:sup>{r('2')}</m:sup></m:sSubSup>"
    )
    assert convert(sub)[0] == (
        "<msubsup><mrow><mi>x</mi></mrow><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></msubsup>"
    )
    matrix = f"<m:m><m:mr><m:e>{r('1')}</m:e><m:e>{r('0')}</m:e></m:mr></m:m>"
    assert (
        convert(matrix)[0]
        == "<mtable><mtr><mtd><mn>1</mn></mtd><mtd><mn>0</mn></mtd></mtr></mtable>"
    )
    vector = f'<m:acc><m:accPr><m:chr m:val="→"/></m:accPr><m:e>{r("AB")}</m:e></m:acc>'
    assert (
        convert(vector)[0]
        == "<mover><mrow><mi>A</mi><mi>B</mi></mrow><mo>→</mo></mover>"
    )


def test_unknown_elements_are_kept_as_rows_and_named():
    assert convert(f"<m:mystery>{r('q')}</m:mystery>") == (
        "<mrow><mi>q</mi></mrow>",
        "q",
        {"mystery"},
    )
