"""Accessibility checks with axe-core (shipped inside the axe-playwright-python package)."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = {"serious", "critical"}
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
