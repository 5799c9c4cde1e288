"""The API reference is a page of the site: the NHS.UK layout, readable by
everyone, with no script of its own under the site's strict CSP."""

from playwright.sync_api import expect


def test_the_api_reference_is_accessible_and_lists_every_operation(
    live_server, page, assert_accessible
):
    blocked_scripts = []
    page.on(
        "console",
        lambda message: (
            blocked_scripts.append(message.text) if "script-src" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/api/v1/docs")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Northstar API reference")
    assert page.evaluate("document.documentElement.lang") == "en"
    answer = page.get_by_role("region", name="Answer a domain")
    expect(answer).to_contain_text(
        "PUT /api/v1/assessments/{round}/{ods_code}/{care_setting}/answers/{domain}"
    )
    expect(answer.get_by_role("row", name="409")).to_contain_text("ConflictOut")
    expect(page.get_by_role("region", name="Every published entry as CSV")).to_contain_text(
        "as text/csv"
    )
    page.get_by_role("link", name="ConflictOut").first.click()
    expect(page).to_have_url(f"{live_server.url}/api/v1/docs#schema-ConflictOut")
    assert_accessible(page)
    assert blocked_scripts == []
