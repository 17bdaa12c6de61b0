"""Whatever a respondent typed renders as text, in a font that has it, and stays on the page."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from assessment.pdf import render_record_pdf
from tests.conftest import skip_or_fail
from tests.factories import answers_for, make_record
from tests.pdf.conftest import pdf_text, read_pdf, squashed

pytestmark = pytest.mark.django_db

LONG_WORD = "W" * 300
MARKUP = "<script>alert('x')</script><b>bold</b> {{ settings.SECRET_KEY }} {% now 'Y' %}"
ARABIC = "نموذج لتصنيف التذاكر"
HEBREW = "מודל לסיווג פניות"
CJK = "情感分析模型"
EMOJI = "🎉🚀"
HOSTILE = f"{MARKUP} {LONG_WORD} {ARABIC} {HEBREW} {CJK} {EMOJI}"
# A4 is 595.28 pt wide; the page's side margins are 18 mm (51 pt).
MARGIN_PT = 51.0


def hostile_record():
    answers = dict(answers_for("review"))
    answers["describe_model"] = HOSTILE
    answers["agreement_ref"] = f"{MARKUP} {'R' * 100}"
    return make_record(
        kind="review",
        answers=answers,
        details={
            "respondent_name": f"<i>{ARABIC}</i>",
            "organisation": HEBREW,
            "project_name": f"{CJK} {EMOJI} {'P' * 150}",
            "project_description": HOSTILE,
        },
    )


@pytest.fixture
def hostile_pdf() -> bytes:
    record = hostile_record()
    assert record.answers["describe_model"] == HOSTILE  # still on the path the PDF shows
    return render_record_pdf(record)


def test_markup_and_template_syntax_print_as_typed(hostile_pdf):
    flat = squashed(pdf_text(read_pdf(hostile_pdf)))
    assert squashed(MARKUP) in flat
    assert LONG_WORD in flat
    assert CJK in flat


def test_every_script_gets_a_font_that_has_it(hostile_pdf):
    reader = read_pdf(hostile_pdf)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    for family in ("Noto-Sans-Arabic", "Noto-Sans-Hebrew", "Noto-Sans-CJK", "Noto-Color-Emoji"):
        assert any(family in name for name in fonts), (family, fonts)


def test_hostile_record_keeps_a_sensible_page_count(hostile_pdf):
    reader = read_pdf(hostile_pdf)
    total = len(reader.pages)
    # Long words wrap instead of stretching tables: a few pages, each footer counting right.
    assert 2 <= total <= 4
    assert f"Page {total} of {total}" in reader.pages[-1].extract_text()


def test_no_text_starts_outside_the_page_margins(hostile_pdf):
    reader = read_pdf(hostile_pdf)
    for page in reader.pages:
        width = float(page.mediabox.width)
        starts: list[float] = []

        def visit(text, cm, tm, font, size, starts=starts):
            if text.strip():
                starts.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

        page.extract_text(visitor_text=visit)
        assert starts
        assert all(MARGIN_PT - 1 <= x <= width - MARGIN_PT for x in starts), starts


def test_no_word_ends_past_the_right_margin(hostile_pdf, tmp_path):
    if shutil.which("pdftotext") is None:
        skip_or_fail("poppler-utils (pdftotext) is not installed")
    source = tmp_path / "summary.pdf"
    source.write_bytes(hostile_pdf)
    output = subprocess.run(
        ["pdftotext", "-bbox", str(source), "-"], check=True, capture_output=True
    ).stdout
    # Only numbers are read: the document's metadata in the header may be in any encoding.
    html = output.decode("utf-8", errors="replace")
    page_width = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', html)]
    assert right_edges
    assert max(right_edges) <= page_width - MARGIN_PT + 1


def test_rendered_pages_leave_the_outer_margins_blank(hostile_pdf):
    """Turned into images, no page has ink in its outer 15 mm on either side."""
    if shutil.which("pdftoppm") is None:
        skip_or_fail("poppler-utils (pdftoppm) is not installed")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "summary.pdf"
        source.write_bytes(hostile_pdf)
        subprocess.run(
            ["pdftoppm", "-r", "50", "-gray", str(source), str(Path(folder) / "page")], check=True
        )
        images = sorted(Path(folder).glob("page-*.pgm"))
        assert len(images) == len(read_pdf(hostile_pdf).pages)
        for image in images:
            width, height, pixels = read_pgm(image.read_bytes())
            band = round(width * 15 / 210)  # 15 mm of A4's 210 mm
            for row in range(height):
                line = pixels[row * width : (row + 1) * width]
                assert min(line[:band]) > 200, (image.name, row, "left margin")
                assert min(line[-band:]) > 200, (image.name, row, "right margin")


def read_pgm(data: bytes) -> tuple[int, int, bytes]:
    """A binary (P5) PGM, as pdftoppm -gray writes it: width, height and the pixel bytes."""
    magic, width, height, maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    return int(width), int(height), pixels
