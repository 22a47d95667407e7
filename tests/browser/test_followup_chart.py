"""The core team reads the follow-up trend on a phone: the chart's labels (terms, shares,
participants) stay readable instead of shrinking with the chart to a few pixels; the chart
scrolls sideways in its own box, which a keyboard can reach and scroll."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, serious_violations


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_the_trend_charts_labels_are_readable_at_320_px(browser, live_server, demo, lang):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="sv-SE")
    page = context.new_page()
    log_in(page, live_server, "core@example.org", lang=lang)
    page.goto(f"{live_server}/portfolio/follow-up")
    chart = page.locator("svg.trend-chart")
    expect(chart).to_be_visible()
    smallest = chart.evaluate("""svg => Math.min(...[...svg.querySelectorAll('text')]
        .map(t => t.getBoundingClientRect().height))""")
    assert smallest >= 10, f"labels are {smallest:.1f} px high"
    box = page.locator(".chart-scroll")
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # the page stays put
    box.focus()
    page.keyboard.press("ArrowRight" if lang == "sv" else "ArrowLeft")
    page.wait_for_function(
        "() => Math.abs(document.querySelector('.chart-scroll').scrollLeft) > 0")
    assert serious_violations(page) == []
    context.close()
