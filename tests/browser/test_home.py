import pytest

pytestmark = pytest.mark.browser


def test_home_page_opens_without_console_errors_and_is_accessible(page, assert_accessible):
    page.goto("/")
    assert page.title().startswith("Check whether you may train a model")
    assert page.locator("h1").inner_text().startswith("Check whether you may train")
    # The base layout: skip link to main, landmarks, and a footer naming the policy.
    assert page.locator("a.skip-link").get_attribute("href") == "#main-content"
    assert page.locator("html").get_attribute("lang") == "en"
    assert (
        page.locator("footer").inner_text().count("Using Claude's Outputs to train AI models") == 1
    )
    # Bootstrap is served by the app itself, not a CDN.
    origin = page.evaluate("location.origin")
    stylesheets = page.eval_on_selector_all("link[rel=stylesheet]", "els => els.map(e => e.href)")
    assert stylesheets and all(href.startswith(origin + "/static/") for href in stylesheets)
    # ...and actually applied: Bootstrap's button styles are in effect.
    start = page.get_by_role("button", name="Start now")
    assert start.evaluate("el => getComputedStyle(el).borderRadius") != "0px"
    assert_accessible(page)


def test_start_now_is_above_the_fold_on_a_1280_by_900_screen(page, artefacts):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.screenshot(path=artefacts / "home-1280x900.png")
    start = page.get_by_role("button", name="Start now").bounding_box()
    assert start is not None
    assert start["y"] + start["height"] <= 900
