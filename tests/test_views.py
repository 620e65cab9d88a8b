"""Shareable, embeddable views (issue 28, item 4): a map page's address holds its view, a link opens that view,
Back and Forward step through views, and every embedded map offers its embed code and a link to the current
view, in Chromium."""

from __future__ import annotations

import re

import pytest

VIEW = "#14/51.27200/0.52200"


def _view(page) -> tuple[float, float, float]:
    page.wait_for_function("window.geoViewMap !== undefined")
    return page.evaluate("[geoViewMap.getZoom(), geoViewMap.getCenter().lat, geoViewMap.getCenter().lng]")


@pytest.mark.parametrize(
    "path", ["map-files/asb.html", "2025/map-files/asb.html", "map-files/ward.html?ward=E05004996"]
)
def test_a_link_opens_the_same_view_and_back_and_forward_step_through_views(browser, base, path):
    page = browser.new_page()
    page.goto(base + path + VIEW)
    zoom, lat, lng = _view(page)
    assert (zoom, round(lat, 3), round(lng, 3)) == (14, 51.272, 0.522)
    page.evaluate("geoViewMap.setView([51.25, 0.5], 13, {animate: false})")
    page.wait_for_function("location.hash.startsWith('#13/51.25')")
    assert path.split("#")[0].split("?")[-1] in page.url  # the ward (or the map's own path) stays in the address
    page.go_back()
    page.wait_for_function(f"location.hash === '{VIEW}'")
    assert _view(page)[0] == 14
    page.go_forward()
    page.wait_for_function("location.hash.startsWith('#13/51.25')")
    assert _view(page)[0] == 13
    page.close()


def test_an_embedded_map_shares_its_view_and_offers_its_embed_code(browser, base):
    page = browser.new_page()
    page.goto(base + "assessment/performance.html")
    code = page.locator("code.embed-code").first
    page.wait_for_function("document.querySelector('code.embed-code').textContent.includes('http')")
    assert re.search(r'<iframe src="http://127\.0\.0\.1:\d+/map-files/asb\.html" title="[^"]+"', code.text_content())
    frame = page.frame_locator(".map-embed iframe").first
    frame.locator(".leaflet-container").wait_for()
    inner = next(f for f in page.frames if f.url.split("#")[0].endswith("/map-files/asb.html"))
    inner.wait_for_function("window.geoViewMap !== undefined")
    history = page.evaluate("history.length")
    inner.evaluate("geoViewMap.setView([51.25, 0.5], 13, {animate: false})")
    inner.wait_for_function("location.hash.startsWith('#13/51.25')")
    assert page.evaluate("history.length") == history  # inside a page a move replaces, never adds, an entry
    with page.expect_navigation():
        page.locator('.map-links a[href="../map-files/asb.html"]').first.click()
    assert re.search(r"/map-files/asb\.html#13/51\.25", page.url)
    assert _view(page)[0] == 13
    page.close()


def test_an_in_page_map_opens_full_screen_at_its_view(browser, base):
    page = browser.new_page()
    page.goto(base + "maps/asb.html")
    page.wait_for_function("document.querySelector('.field-map').geoMap !== undefined")
    page.evaluate("document.querySelector('.field-map').geoMap.setView([51.26, 0.51], 13.5, {animate: false})")
    assert "map-files/asb.html" in page.locator("code.embed-code").first.text_content()
    with page.expect_navigation():
        page.locator(".map-links a").first.click()
    assert re.search(r"/map-files/asb\.html#13\.5/51\.26", page.url)
    zoom, lat, _ = _view(page)
    assert (zoom, round(lat, 2)) == (13.5, 51.26)
    page.close()
