import pytest
def test_fav(page):
    seen=[]
    page.on("response", lambda r: seen.append((r.status, r.url)))
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    page.wait_for_timeout(500)
    print(seen)
