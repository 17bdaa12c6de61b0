"""Rolling the current version out in Chromium: records answered under v1 and v2, the current
version newer; a reviewer compares versions, opens the impact page, opens a re-review for the
affected records, and finds them in the queue."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessment.models import Event, EventAction
from assessment.questionnaire import CURRENT_VERSION
from tests.browser.conftest import sign_in_through_form
from tests.engine.v2_support import plan
from tests.factories import make_record
from tests.review_support import make_reviewer

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def test_a_reviewer_rolls_the_current_version_out_to_older_records(page, assert_accessible):
    make_reviewer()
    # Every older record needs new answers under v4, which asks the deciding facts directly.
    affected = [make_record(kind=kind, version="v1") for kind in ("permitted", "prohibited")]
    affected.append(make_record(version="v2", answers=plan(does=("sentiment",))))
    current = make_record(kind="permitted")  # answered under the current version

    page.goto("/accounts/login/?next=/review/versions/")
    sign_in_through_form(page, "rita", PASSWORD)
    expect(page.locator("h1")).to_have_text("Questionnaire versions")
    expect(page.locator(f'tr[data-version="{CURRENT_VERSION}"] [data-status]')).to_have_text(
        "Current"
    )
    expect(page.locator('tr[data-version="v2"] [data-status]')).to_have_text("Retired")
    expect(page.locator('tr[data-version="v1"] [data-status]')).to_have_text("Retired")
    assert_accessible(page)

    page.get_by_role("link", name=f"Compare with {CURRENT_VERSION} (from v2)").click()
    expect(page.locator("h1")).to_have_text(f"What changed from v2 to {CURRENT_VERSION}")
    expect(page.locator("li[data-change=added]").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the versions").click()

    page.get_by_role("link", name=f"Impact on older records under {CURRENT_VERSION}").click()
    expect(page.locator("tbody tr")).to_have_count(3)
    for record in affected:
        expect(page.locator(f'tr[data-reference="{record.reference}"]')).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Open a re-review for these 3 records").click()
    expect(page.locator(".alert, [role=status], .messages").first).to_contain_text(
        "Re-review opened for 3 records"
    )
    assert Event.objects.filter(action=EventAction.REREVIEW_OPENED).count() == 3

    page.get_by_role("link", name="See records with a re-review opened in the queue").click()
    expect(page.locator("h1")).to_have_text("Assessments queue")
    expect(page.get_by_label("Re-review opened (new questionnaire version)")).to_be_checked()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)
    for record in affected:
        expect(page.locator(f'tr[data-reference="{record.reference}"]')).to_be_visible()
    expect(page.locator(f'tr[data-reference="{current.reference}"]')).to_have_count(0)
