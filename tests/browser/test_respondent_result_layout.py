"""The result page's layout at a desktop width: what a respondent reads and copies."""

from __future__ import annotations

import pytest

from tests.factories import make_record

pytestmark = pytest.mark.browser


@pytest.fixture
def result_page(page, artefacts):
    record = make_record(kind="review")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/a/{record.token}/result/")
    page.screenshot(path=artefacts / "result-1280.png", full_page=True)
    return page, record


def test_the_record_hash_stays_on_one_line(result_page):
    page, record = result_page
    hash_value = page.get_by_text(record.sha256, exact=True)
    lines = hash_value.evaluate(
        """el => { const range = document.createRange(); range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; }"""
    )
    assert lines == 1


def test_why_stands_apart_from_the_pdf_button(result_page):
    page, _ = result_page
    button = page.get_by_role("link", name="Download a PDF summary").bounding_box()
    why = page.get_by_role("heading", name="Why", exact=True).bounding_box()
    assert button is not None and why is not None
    # At least 2rem: a paragraph's margin alone (1rem) left the heading cramped under the button.
    assert why["y"] - (button["y"] + button["height"]) >= 32
