"""What a keyboard, screen-reader or low-vision user needs from every page that exists now."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from heard.auth.permissions import PERSON_ROLES, ROLE_PERMISSIONS, Role
from tests.browser.conftest import VIEWPORT, LiveServer, axe_scan, use_session
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser

# The role with the most permissions has the longest home page.
BUSIEST_ROLE = max(PERSON_ROLES, key=lambda role: len(ROLE_PERMISSIONS[role]))
FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex='0']"

# Runs on the focused element: its outline, and the colour of whatever lies just outside it
# (found by hit-testing where the ring is drawn, so positioned elements are judged fairly).
RING_JS = """
() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const width = parseFloat(s.outlineWidth) || 0;
  const reach = (parseFloat(s.outlineOffset) || 0) + width / 2;
  const points = [
    [r.left - reach, r.top + r.height / 2], [r.right + reach, r.top + r.height / 2],
    [r.left + r.width / 2, r.top - reach], [r.left + r.width / 2, r.bottom + reach],
  ];
  const surfaces = [];
  for (const [x, y] of points) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    let node = document.elementFromPoint(x, y);
    let colour = 'rgb(255, 255, 255)';
    for (; node; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      if (bg !== 'transparent' && !/^rgba\\(.*,\\s*0\\)$/.test(bg)) { colour = bg; break; }
    }
    surfaces.push(colour);
  }
  const name = (el.getAttribute('aria-label') || el.textContent || el.id || el.name || '').trim();
  return {
    element: `${el.tagName.toLowerCase()} "${name.slice(0, 40)}"`,
    isBody: el === document.body,
    style: s.outlineStyle, width, colour: s.outlineColor, surfaces,
  };
}
"""


def _rgb(css: str) -> tuple[float, float, float]:
    numbers = re.findall(r"[\d.]+", css)
    assert len(numbers) >= 3, f"cannot read colour {css!r}"
    red, green, blue = (float(n) for n in numbers[:3])
    return red, green, blue


def _luminance(css: str) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in _rgb(css))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def open_login(page: Page, server: LiveServer) -> None:
    page.goto("/login")
    expect(page.get_by_label("Username")).to_be_visible()


def open_home(page: Page, server: LiveServer) -> None:
    use_session(page, server, "NMP", BUSIEST_ROLE)
    page.goto("/")
    expect(page.get_by_role("heading", level=1, name="Signed in as")).to_be_visible()


def open_error(page: Page, server: LiveServer) -> None:
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", level=1, name="Not found")).to_be_visible()


PAGES: dict[str, Callable[[Page, LiveServer], None]] = {
    "sign-in": open_login,
    "home": open_home,
    "error": open_error,
}


def test_the_sign_in_page_passes_an_axe_scan_before_and_after_a_failed_attempt(
    page: Page, live_server: LiveServer
) -> None:
    open_login(page, live_server)
    axe_scan(page)

    page.get_by_label("Username").fill("wmp.call_handler")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe_scan(page)


@pytest.mark.parametrize("role", [Role.CALL_HANDLER, BUSIEST_ROLE], ids=str)
def test_the_home_page_passes_an_axe_scan(page: Page, live_server: LiveServer, role: Role) -> None:
    use_session(page, live_server, "WMP", role)
    page.goto("/")
    expect(page.get_by_role("heading", level=1, name="Signed in as")).to_be_visible()
    axe_scan(page)


def test_the_error_page_passes_an_axe_scan(page: Page, live_server: LiveServer) -> None:
    open_error(page, live_server)
    axe_scan(page)


@pytest.mark.parametrize("name", PAGES)
def test_every_control_can_be_reached_by_tab_and_shows_a_focus_ring_that_stands_out(
    page: Page, live_server: LiveServer, name: str
) -> None:
    PAGES[name](page, live_server)
    expected = page.locator(FOCUSABLE).count()
    page.keyboard.press("Tab")
    # Tab until focus comes back to a control already seen (it passes <body> as it wraps round).
    reached: list[str] = []
    faults: list[str] = []
    for _ in range(2 * expected + 2):
        ring = page.evaluate(RING_JS)
        if ring["element"] in reached:
            break
        if not ring["isBody"]:
            reached.append(ring["element"])
            if ring["style"] == "none" or ring["width"] < 2:
                faults.append(f"{ring['element']}: no visible outline ({ring['width']}px)")
            for surface in sorted(set(ring["surfaces"])):
                ratio = contrast(ring["colour"], surface)
                if ratio < 3:
                    faults.append(
                        f"{ring['element']}: ring {ring['colour']} on {surface} is {ratio:.2f}:1"
                    )
        page.keyboard.press("Tab")

    assert len(reached) == expected, f"Tab reached {reached}, but the page has {expected} controls"
    assert not faults, "focus rings that are hard to see (WCAG 1.4.11 needs 3:1):\n" + "\n".join(
        faults
    )


def test_the_skip_link_is_the_first_tab_stop_is_visible_and_moves_to_the_main_content(
    page: Page, live_server: LiveServer
) -> None:
    open_home(page, live_server)
    skip = page.get_by_role("link", name="Skip to content")

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page.locator("main")).to_be_focused()
    expect(page).to_have_url(re.compile(r"#main$"))


@pytest.mark.parametrize("name", PAGES)
def test_each_page_fits_a_1366_by_768_screen_without_sideways_scrolling(
    page: Page, live_server: LiveServer, name: str
) -> None:
    PAGES[name](page, live_server)

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORT["width"], f"the {name} page is {width}px wide"
    body_text = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_text >= 16, f"body text is {body_text}px"


def test_the_sign_in_form_names_its_fields_for_screen_readers_and_password_managers(
    page: Page, live_server: LiveServer
) -> None:
    open_login(page, live_server)

    expect(page.get_by_role("textbox", name="Username")).to_have_attribute(
        "autocomplete", "username"
    )
    expect(page.get_by_label("Password")).to_have_attribute("type", "password")
    expect(page.get_by_label("Password")).to_have_attribute("autocomplete", "current-password")
    expect(page.get_by_role("main")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    page.get_by_label("Password").fill(PASSWORD)  # the label really points at the field
    expect(page.locator("#password")).to_have_value(PASSWORD)
