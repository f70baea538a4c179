"""Every page form, handled one way: read the posted fields, check them through the core
(the same `calfcare.services` functions as the CLI and the JSON API), and then either

- refused (`InvalidInput`): the same page again with a 422, every bad field named in words
  in the error summary (``checkin_problems.html``: "Left calf, soreness: …", never
  ``left.score``), each marked on the form, and what the person typed kept; nothing saved;
- or saved: a redirect (303) to a page that shows what was saved (POST-redirect-GET).

`submit` is that flow; `form_page` renders a form page with its problems (the words each
field is shown with: `calfcare.web.form_words`). The readers (`score`, `number`, `given`)
turn what a browser sends (every field a string, blank when left empty) into the JSON API's
shape, so the core's own rules and messages apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.whole_number import whole_number
from calfcare.web.templating import Pages

T = TypeVar("T")

Refused = Callable[[dict[str, str], list[Problem]], Response]
"""Shows the form again: the values as posted, and the problems (status 422)."""


def problem_fields(problems: Iterable[Problem]) -> set[str]:
    """The fields the problems mark: ``left.score`` marks ``left.score`` and ``left``."""
    return {f for p in problems for f in (p.field, p.field.split(".")[0])}


async def form_values(request: Request) -> dict[str, str]:
    """The posted text fields (an upload is read by its own page: the import)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def form_page(
    request: Request,
    pages: Pages,
    template: str,
    *,
    values: Mapping[str, Any],
    problems: list[Problem],
    field_ids: Mapping[str, str],
    status: int | None = None,
    **context: Any,
) -> HTMLResponse:
    """A form page: ``values`` fill the fields, ``problems`` are summarised (linked to
    ``field_ids``, the element each field's line jumps to) and marked. Without a ``status``:
    refused (422) when there are problems, else 200."""
    return pages.render(
        request,
        template,
        status=(422 if problems else 200) if status is None else status,
        values=values,
        problems=problems,
        problem_fields=problem_fields(problems),
        field_ids=field_ids,
        **context,
    )


def see_other(
    request: Request, name: str, path: Mapping[str, str] | None = None, /, **query: str
) -> RedirectResponse:
    """303 to the page ``name`` (its ``path`` parameters, then ``query``): where a saved
    form goes."""
    url = str(request.app.url_path_for(name, **(path or {})))
    return RedirectResponse(url + ("?" + urlencode(query) if query else ""), status_code=303)


def then_see(request: Request, name: str, **query: str) -> Callable[[object], Response]:
    """A ``done`` for `submit`: whatever was saved, 303 to the page ``name`` (``query``)."""
    return lambda _: see_other(request, name, **query)


async def submit(
    request: Request,
    save: Callable[[dict[str, str]], T],
    *,
    refused: Refused,
    done: Callable[[T], Response],
    in_thread: bool = False,
) -> Response:
    """The one form flow: ``save`` the posted values (it raises `InvalidInput` naming every
    bad field, having saved nothing), then ``done`` with what it returned (a redirect), or
    ``refused`` with the values and problems (the form again, 422). ``in_thread``: all of it
    in a worker thread (a page that reads the database to show itself again)."""
    values = await form_values(request)

    def handle() -> Response:
        try:
            saved = save(values)
        except InvalidInput as error:
            return refused(values, error.problems)
        return done(saved)

    return await run_in_threadpool(handle) if in_thread else handle()


@dataclass(frozen=True, slots=True)
class FormPage:
    """One form page: its template, the element each field's summary line jumps to, and,
    per request, the fields' defaults and what else the page shows (``context``)."""

    template: str
    field_ids: Mapping[str, str]
    context: Callable[[], tuple[dict[str, str], dict[str, Any]]]
    then: str = ""
    """The page a saved form goes to (`then_see`), unless `post` is given its own ``done``."""

    def show(
        self,
        request: Request,
        pages: Pages,
        values: Mapping[str, str] | None = None,
        problems: Sequence[Problem] = (),
    ) -> HTMLResponse:
        """The page: ``values`` over the defaults; with ``problems``, refused (422)."""
        defaults, extra = self.context()
        return form_page(
            request,
            pages,
            self.template,
            values={**defaults, **(values or {})},
            problems=list(problems),
            field_ids=self.field_ids,
            **extra,
        )

    async def post(
        self,
        request: Request,
        pages: Pages,
        save: Callable[[dict[str, str]], T],
        done: Callable[[T], Response] | None = None,
        **query: str,
    ) -> Response:
        """`submit` with this page as the form shown again; saved, ``done``, or 303 to
        `then` with ``query``."""
        return await submit(
            request,
            save,
            refused=lambda values, problems: self.show(request, pages, values, problems),
            done=done or then_see(request, self.then, **query),
        )


# -- readers: a browser's strings in the JSON API's shape ------------------------------------


def score(value: str) -> object:
    """A 0-10 radio value as an int; anything odd is passed on for the core to refuse."""
    number = whole_number(value, 3)
    return value if number is None else number


def number(value: str) -> object:
    """A number as typed (``9,5`` or ``9.5``; a whole one as an int), else the text for the
    core to refuse with its own message."""
    text = value.strip().replace(",", ".")
    try:
        parsed = float(text)
    except ValueError:
        return value
    return int(parsed) if parsed.is_integer() else parsed


def given(
    values: Mapping[str, str], read: Mapping[str, Callable[[str], object]]
) -> dict[str, object]:
    """A form's optional fields in the JSON API's shape, each read by ``read[name]``; a blank
    field is left out, as in a JSON body, so the same default applies (the day: today; a
    calf: not rated)."""
    return {name: reader(values[name]) for name, reader in read.items()
            if values.get(name, "").strip() != ""}  # fmt: skip


DAY = {"day": str.strip}
CLIENT_ID = {"client_id": str.strip}
"""Each check-in form carries a client id (``fresh_id``), so that a form sent twice is saved
once (`calfcare.core.client_ids`)."""
SCORES = {"left": score, "right": score}


def client_id(values: Mapping[str, str]) -> str | None:
    """The form's client id, or None when blank."""
    return values.get("client_id", "").strip() or None
