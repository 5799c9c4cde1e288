from playwright.sync_api import expect


def test_home_page_is_accessible_with_and_without_javascript(
    live_server, page, no_js_page, assert_accessible
):
    page.goto(live_server.url)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Measure, compare")
    assert "js-enabled" in page.evaluate("document.body.className")
    assert_accessible(page)
    no_js_page.goto(live_server.url)
    expect(no_js_page.get_by_role("link", name="Sign in").first).to_be_visible()
