"""Drive HTML forms without a browser: read a page's form, fill it, post it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

FORM_HEADERS = {"content-type": "application/x-www-form-urlencoded"}


@dataclass
class Form:
    """The first POST form of a page: its action, hidden fields and radio groups."""

    action: str = ""
    hidden: list[tuple[str, str]] = field(default_factory=list)
    radios: dict[str, list[str]] = field(default_factory=dict)

    def fill(self, choices: Mapping[str, str], default: str | None = None) -> list[tuple[str, str]]:
        """Hidden fields plus one value per radio group (from ``choices``, else ``default``;
        a group with neither is left unanswered)."""
        data = list(self.hidden)
        for name in self.radios:
            value = choices.get(name, default)
            if value is not None:
                data.append((name, value))
        return data


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._current = Form(action=a.get("action", ""))
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None:
            if a.get("type") == "hidden":
                self._current.hidden.append((a["name"], a.get("value", "")))
            elif a.get("type") == "radio":
                self._current.radios.setdefault(a["name"], []).append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def post_form(client: Any, action: str, pairs: list[tuple[str, str]], **kwargs: Any) -> Any:
    """POST ``pairs`` (repeats allowed, order kept) as an urlencoded form."""
    headers = {**FORM_HEADERS, **kwargs.pop("headers", {})}
    return client.post(action, content=urlencode(pairs), headers=headers, **kwargs)


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form(html: str) -> Form:
    found = forms(html)
    assert found, "the page has no POST form"
    return found[0]


def walk_screening(
    client: Any, legs: str, answers: Mapping[str, str], *, max_pages: int = 12
) -> tuple[Any, list[list[str]]]:
    """Answer the screening page by page as a person without JavaScript would: each page's
    questions from ``answers`` (field → yes/no/unsure, default "no"). Returns the final
    response and the questions asked on each page."""
    page = client.get("/screening")
    assert page.status_code == 200
    first = form(page.text)
    response = post_form(client, first.action, first.fill({"legs": legs}))
    asked: list[list[str]] = []
    for _ in range(max_pages):
        assert response.status_code == 200, response.text[:500]
        found = forms(response.text)
        if not found or not found[0].radios:
            return response, asked
        current = found[0]
        asked.append(list(current.radios))
        response = post_form(client, current.action, current.fill(answers, default="no"))
    raise AssertionError("the screening did not end")
