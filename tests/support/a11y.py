"""Accessibility checks with axe-core (shipped inside the axe-playwright-python package), and the
page checks the accessibility tests run on every page: no redirect, no overflow, a one-line menu bar."""

from collections.abc import Iterable
from typing import Any

from axe_playwright_python.sync_playwright import Axe

from tests.support.browser import sign_in_as

BLOCKING_IMPACTS = {"serious", "critical"}
AXE_WIDTHS = (1280, 375)  # 1024 is checked for the menu bar only: axe's findings there are those of 1280
_axe = Axe()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one readable line each."""
    results = _axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def assert_accessible(page) -> None:
    problems = serious_violations(page)
    assert problems == [], f"{page.url}:\n" + "\n".join(problems)


def page_problems(page, path: str, width: int) -> list[str]:
    """What is wrong with the page at path at this width, one line each: a redirect away from it, a
    horizontal overflow, from 1024 px up a menu bar of more than one line, and axe's serious violations."""
    page.goto(path)
    found = []
    if not page.url.split("?")[0].endswith(path.split("?")[0]):
        return [f"{path} redirected to {page.url}"]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        found.append(f"{path} is {overflow}px wider than {width}px")
    if width >= 1024:  # the bar is expanded: one row of links, each on one line ("Sign / out" is two)
        wrapped = page.evaluate("""() => [...document.querySelectorAll('nav[aria-label=Main] .nav-link, nav[aria-label=Main] .navbar-text')]
            .filter(e => e.getClientRects().length && e.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(e).lineHeight) + 16)
            .map(e => e.textContent.trim())""")
        bar = page.get_by_role("navigation", name="Main").bounding_box()
        brand = page.locator(".navbar-brand").bounding_box()
        if wrapped or bar["height"] >= brand["height"] + 30:
            found.append(f"{path}: the menu bar is {bar['height']:.0f}px tall at {width}px, not one line {wrapped}")
    if width in AXE_WIDTHS:
        found += [f"{path}: {v}" for v in serious_violations(page)]
    return found


def problems_of_each_users_pages(page, live_server, pages_by_user: Iterable[tuple[Any, list[str]]], width: int) -> list[str]:
    """page_problems() of every path, each visited signed in as the user it is listed with."""
    problems = []
    for user, paths in pages_by_user:
        sign_in_as(page, live_server, user)
        for path in paths:
            problems += page_problems(page, path, width)
    return problems
