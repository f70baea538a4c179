"""Steps the browser flow tests share: submit a form and wait for the next page, take the
safety check, and check a page fits (nothing sideways, nothing axe calls serious)."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.web.browser.conftest import axe_violations


def submit(page: Page, name: str) -> None:
    """Press the button ``name`` and wait for the next page itself (not the current one,
    which is still "loaded")."""
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def screening(page: Page, answers: dict[str, str] | None = None) -> None:
    """The safety check for both calves, every question "no" unless ``answers`` says."""
    answers = answers or {}
    page.goto("/screening")
    page.check("input[name='legs'][value='left,right']")
    submit(page, "Continue")
    while page.locator("form.screening input[type=radio]").count():
        names = page.eval_on_selector_all(
            "form.screening input[type=radio]", "els => [...new Set(els.map(e => e.name))]"
        )
        for name in names:
            page.check(f"input[name='{name}'][value='{answers.get(name, 'no')}']")
        submit(page, "Continue")


def fits(page: Page) -> None:
    """Nothing scrolls sideways and axe finds nothing serious or critical."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
    assert axe_violations(page) == [], page.url
