"""Every class of hostile input (issue 13) against every endpoint and every command that
reads input: deep nesting, lone surrogates, the ends of the calendar, huge numbers, big
bodies, bad Host headers, text that is not UTF-8; and for every command, a standard output
whose reader has gone (a closed pipe).

Each answer must be a clear refusal (a 4xx in the one error shape, or exit 2 naming the
problem), never a 5xx or "internal error", and a refusal writes nothing (the database's data
version does not move). Reads at the ends of the calendar must simply work.

Deterministic and cheap: a fixed matrix (no random exploration; about 600 cases in a few
seconds), the CLI run in-process through the real entry point (`calfcare.launcher.main`).
Endpoints and commands are discovered from the app and the CLI, and a test fails when one
is missing from the tables below, so a new one cannot go untested.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import typer.main
from fastapi import FastAPI
from starlette.routing import Route

from calfcare.settings import Settings
from calfcare.storage import Store, open_store
from calfcare.web import limits
from calfcare.web.app import create_app
from tests.conftest import load_vignettes
from tests.web.conftest import BASE_URL, TestClient, csrf_token

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from tests.web.test_session_api import upload

SCREENING = load_vignettes()["cases"][0]["input"]
NOTE = {"id": "n1", "day": "2025-06-01", "written_at": "2025-06-01T08:00:00+00:00", "text": "x"}

# -- the classes -----------------------------------------------------------------------------

DEEP = b"[" * 3000 + b"]" * 3000
RAW_BODIES: dict[str, tuple[bytes, int]] = {
    "nesting": (DEEP, 400),
    "nesting in an object": (b'{"a": ' + DEEP + b"}", 400),
    "unclosed nesting": (b"{" * 5000, 400),
    "truncated": (b'{"a": [1, 2', 400),
    "empty": (b"", 400),
    "not utf-8": (b'{"a": "\xff\xfe"}', 400),
    "utf-8 surrogate bytes": (b'{"a": "\xed\xa0\x80"}', 400),
    "NaN": (b'{"a": NaN}', 400),
    "infinite number": (b'{"a": 1e999}', 400),
    "5000 digits": (b'{"a": ' + b"7" * 5000 + b"}", 400),
    "lone surrogate key": (b'{"\\ud800": 1}', 422),
    "lone surrogate value": (b'{"a": ["ok", "\\udfff"]}', 422),
    "a lone surrogate alone": (b'"\\udc00"', 422),
}
BAD_HOSTS = ["127.0.0.1:8000@evil.com", "127.0.0.1:evil", "evil.example", "127.0.0.1 x", ""]
DAY_ENDS = ["0001-01-01", "1999-12-31", "9999-12-31"]
TIME_ENDS = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"]
HUGE = [10**30, -(10**30), 1e308, -1e308, 2**63]

# -- the API: a valid body per write, and its fields that take a day, a time or a number ----

API_WRITES: dict[str, dict[str, Any]] = {
    "/api/screening": SCREENING,
    "/api/plan": {"tool": "ball", "screening": SCREENING},
    "/api/checkins/soreness": {"moment": "after", "left": 3},
    "/api/checkins/mobility": {"left": 9.5},
    "/api/notes": {"text": "x"},
    "/api/manual-sessions": {"tool": "ball"},
    "/api/sessions": {},  # made per case (`upload`: its id must be new)
    "/api/import": {"format": "calfcare-export", "version": 1, "notes": [NOTE]},
    "/api/split-leg/days": {},
    "/api/split-leg/experiments": {"days": 14},
    "/api/split-leg/stop": {},
    "/api/split-leg/massaged": {"calves": "left"},
    "/api/screenings": SCREENING,
    "/api/safety/clearances": {"clinician_ruled_out_clot": True},
    "/api/safety/pain-checks": {"leg": "left"},
}
DAY_FIELDS = {
    "/api/checkins/soreness": "day",
    "/api/checkins/mobility": "day",
    "/api/notes": "day",
    "/api/manual-sessions": "day",
    "/api/split-leg/days": "day",
    "/api/split-leg/massaged": "day",
    "/api/safety/clearances": "day",
}
NUMBER_FIELDS = {
    "/api/plan": ["seconds_per_calf", "pace_per_minute"],
    "/api/checkins/soreness": ["left", "right"],
    "/api/checkins/mobility": ["left", "right"],
    "/api/manual-sessions": ["seconds"],
    "/api/split-leg/experiments": ["days"],
}
QUERY_VALUES = [*(f"since={d}" for d in DAY_ENDS), *(f"until={d}" for d in DAY_ENDS)]
QUERY_VALUES += ["limit=99999999999999999999", "limit=-1", "kind=%ff%fe", "leg=%ED%A0%80"]
QUERY_VALUES += ["format=%00", "since=%ED%A0%80", "moment=" + "9" * 5000, "tool=1e999"]


# A version 2 export with a split-leg experiment and its coin: each day and time of them at
# an end of the calendar is refused on import (the experiment's start day, a coin's day).
EXPERIMENT = {
    "id": "e1", "registered_at": "2025-06-01T07:00:00+00:00", "start_day": "2025-06-01",
    "planned_days": 14, "outcome": "next_day_soreness", "stopped_at": None,
}  # fmt: skip
COIN = {
    "day": "2025-06-01", "massaged": "left", "drawn_at": "2025-06-01T09:00:00+00:00",
    "experiment_id": "e1", "reported": None,
}  # fmt: skip
SPLIT_LEG_IMPORT = {
    "format": "calfcare-export", "version": 2,
    "split_leg_experiments": [EXPERIMENT], "split_leg_days": [COIN],
}  # fmt: skip
SPLIT_LEG_FIELDS = [
    *((f"{section}.0.{key}", value) for section, key in
      (("split_leg_experiments", "start_day"), ("split_leg_days", "day")) for value in DAY_ENDS),
    *((f"{section}.0.{key}", value) for section, key in
      (("split_leg_experiments", "registered_at"), ("split_leg_experiments", "stopped_at"),
       ("split_leg_days", "drawn_at")) for value in TIME_ENDS),
]  # fmt: skip


def split_leg_import(field: str, value: str) -> dict[str, Any]:
    """`SPLIT_LEG_IMPORT` with ``field`` (``section.0.key``) set to ``value``."""
    document: dict[str, Any] = json.loads(json.dumps(SPLIT_LEG_IMPORT))
    section, _, key = field.split(".")
    document[section][0][key] = value
    return document


def body_for(path: str) -> dict[str, Any]:
    body = upload() if path == "/api/sessions" else API_WRITES[path]
    return dict(json.loads(json.dumps(body)))  # a copy: cases change it


# -- the app and its database ------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="calfcare-classes-") as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def app(data_dir: Path) -> FastAPI:
    return create_app(Settings(data_dir=data_dir))


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as test_client:
        assert test_client.post("/api/notes", json={"text": "already here"}).status_code == 201
        yield test_client


@pytest.fixture(scope="module")
def store(data_dir: Path, client: TestClient) -> Iterator[Store]:
    opened = open_store(Settings(data_dir=data_dir))
    yield opened
    opened.close()


def refused(response: Any, status: int | tuple[int, ...]) -> dict[str, Any]:
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    body: dict[str, Any] = response.json()
    assert set(body) >= {"error", "problems"} and body["error"], body
    return body


def routes(app: FastAPI) -> list[tuple[str, set[str]]]:
    """Every route's path and methods, through FastAPI's included routers."""
    found: list[tuple[str, set[str]]] = []
    pending: list[Any] = list(app.routes)
    while pending:
        route = pending.pop()
        if hasattr(route, "original_router"):
            pending.extend(route.original_router.routes)
        elif isinstance(route, Route) and route.methods:
            found.append((route.path, set(route.methods)))
    return found


# -- the web app -------------------------------------------------------------------------------


def test_every_write_endpoint_is_in_the_tables(app: FastAPI) -> None:
    posts = {path for path, methods in routes(app) if "POST" in methods}
    api_posts = {path for path in posts if path.startswith("/api/")}
    assert api_posts == set(API_WRITES)
    form_posts = posts - api_posts
    assert form_posts == set(FORMS)


@pytest.mark.parametrize("name", RAW_BODIES)
@pytest.mark.parametrize("path", API_WRITES)
def test_unreadable_bodies(client: TestClient, store: Store, path: str, name: str) -> None:
    raw, status = RAW_BODIES[name]
    before = store.data_version()
    response = client.post(path, content=raw, headers={"content-type": "application/json"})
    body = refused(response, status)
    if name == "a lone surrogate alone" and path in ("/api/screening", "/api/sessions"):
        assert body["problems"]  # (root) problems of the endpoint itself also fine
    assert store.data_version() == before


@pytest.mark.parametrize("path", API_WRITES)
def test_big_bodies_and_bad_hosts(client: TestClient, store: Store, path: str) -> None:
    before = store.data_version()
    valid = json.dumps(body_for(path)).encode()
    over = limits.body_limit(path) + 1
    padded = valid[:-1] + b" " * (over - len(valid)) + b"}"
    if over <= limits.SESSION_BYTES + 1:  # sent for real (the import's 64 MB: declared only)
        refused(
            client.post(path, content=padded, headers={"content-type": "application/json"}), 413
        )
    declared = {"content-type": "application/json", "content-length": str(over)}
    refused(client.post(path, content=valid, headers=declared), 413)
    for host in BAD_HOSTS:
        response = client.post(path, content=valid, headers={"host": host})
        assert refused(response, 400)["problems"][0]["field"] == "host"
    assert store.data_version() == before


CALENDAR_CASES = [(path, value) for path in DAY_FIELDS for value in DAY_ENDS]
CALENDAR_CASES += [("/api/sessions", value) for value in TIME_ENDS]
CALENDAR_CASES += [("/api/import", value) for value in DAY_ENDS + TIME_ENDS]


@pytest.mark.parametrize(("path", "value"), CALENDAR_CASES)
def test_days_at_the_ends_of_the_calendar(
    client: TestClient, store: Store, path: str, value: str
) -> None:
    body = body_for(path)
    if path == "/api/sessions":
        body["ended_at"], field = value, "ended_at"
    elif path == "/api/import":
        key = "day" if "T" not in value else "written_at"
        body["notes"][0][key], field = value, f"notes.0.{key}"
    else:
        body[DAY_FIELDS[path]], field = value, DAY_FIELDS[path]
    before = store.data_version()
    problems = refused(client.post(path, json=body), 422)["problems"]
    assert field in [p["field"] for p in problems]
    assert store.data_version() == before


def test_the_split_leg_import_document_is_valid_as_it_stands() -> None:
    """(So that each case below is refused for its one changed value.)"""
    from datetime import date

    from calfcare.core.export_format import from_document

    parsed = from_document(SPLIT_LEG_IMPORT, today=date(2026, 1, 1))
    assert len(parsed.records.split_leg_days) == len(parsed.records.split_leg_experiments) == 1


@pytest.mark.parametrize(("field", "value"), SPLIT_LEG_FIELDS)
def test_split_leg_days_and_times_at_the_ends_of_the_calendar_on_import(
    client: TestClient, store: Store, field: str, value: str
) -> None:
    before = store.data_version()
    problems = refused(client.post("/api/import", json=split_leg_import(field, value)), 422)
    assert field in [p["field"] for p in problems["problems"]], problems
    assert store.data_version() == before


NUMBER_CASES = [(p, f, v) for p, fields in NUMBER_FIELDS.items() for f in fields for v in HUGE]
NUMBER_CASES += [("/api/sessions", "events.0.t", v) for v in HUGE]


@pytest.mark.parametrize(("path", "field", "value"), NUMBER_CASES)
def test_huge_numbers(
    client: TestClient, store: Store, path: str, field: str, value: float
) -> None:
    body = body_for(path)
    if field.startswith("events"):
        body["events"][0]["t"] = value
    else:
        body[field] = value
    before = store.data_version()
    problems = refused(client.post(path, json=body), 422)["problems"]
    assert any(p["field"].startswith(field.split(".")[0]) for p in problems), problems
    assert store.data_version() == before


def test_every_read_at_the_calendar_ends_and_with_odd_queries(
    app: FastAPI, client: TestClient, store: Store
) -> None:
    reads = [p for p, methods in routes(app) if "GET" in methods and "{" not in p]
    assert "/api/records" in reads and "/history" in reads
    before = store.data_version()
    for path in reads:
        for query in QUERY_VALUES:
            response = client.get(f"{path}?{query}")
            assert response.status_code in (200, 404, 422), (path, query, response.status_code)
            if response.status_code != 200 and path.startswith("/api/"):
                refused(response, response.status_code)
        for host in BAD_HOSTS:
            assert client.get(path, headers={"host": host}).status_code == 400, (path, host)
    for screening_id in ("%ED%A0%80", "x" * 2000, "%00", "..%2f..%2fetc"):
        assert client.get(f"/checkins/follow-up/{screening_id}").status_code == 404
    assert store.data_version() == before  # (reads never write)


# -- the forms ---------------------------------------------------------------------------------

NO_SIGNS = {
    f"followup.{leg}.{sign}": "no"
    for leg in ("left", "right")
    for sign in ("swelling", "redness", "warmth")
}
NOT_UTF8 = b"\xff\xfe\xed\xa0\x80"  # as a browser would percent-encode such bytes
FORMS: dict[str, tuple[str, dict[str, str], dict[str, list[Any]]]] = {
    # path: (the page with the form, valid fields, hostile values per field: each refused,
    # except on the screening's own pages, which ask again: never a 5xx, nothing written)
    "/checkins/note": ("/checkins", {"text": "x"}, {"day": DAY_ENDS}),
    "/checkins/soreness": (
        "/checkins/soreness",
        {"moment": "after", "left": "3"},
        {"day": DAY_ENDS, "left": ["99999999999999999999", "1e999", "-0"]},
    ),
    "/checkins/next-day": (
        "/checkins/next-day",
        {"left": "3", **NO_SIGNS},
        {"day": DAY_ENDS, "left": ["99999999999999999999"]},
    ),
    "/checkins/knee-to-wall": (
        "/checkins/knee-to-wall",
        {"left": "9.5"},
        {"day": DAY_ENDS, "left": ["1e999", "nan", "99999999999999999999"]},
    ),
    "/checkins/session": (
        "/checkins/session",
        {"tool": "ball", "legs": "left,right", "seconds": "150"},
        {"day": DAY_ENDS, "seconds": ["1e999", "nan", "-1e308"]},
    ),
    "/plan": (
        "/plan",
        {"tool": "ball"},
        {
            "seconds_per_calf": ["99999999999999999999", "1e999"],
            "screening": ["[" * 3000, '{"\\ud800": true}', '{"contract": NaN}'],
        },
    ),
    "/import": ("/export", {}, {"document": ["[" * 3000, '{"\\udc00": 1}', NOT_UTF8]}),
    "/plan/from-screening": ("/screening", {}, {"legs": [NOT_UTF8, "x" * 5000]}),
    "/screening": ("/screening", {}, {"legs": [NOT_UTF8, "[" * 3000], "asked": ["x" * 5000]}),
    "/screening/answers.json": ("/screening", {}, {"legs": [NOT_UTF8, "9" * 5000]}),
    "/split-leg": ("/split-leg", {}, {}),
    "/split-leg/start": (
        "/split-leg",
        {"outcome": "next_day_soreness", "days": "14"},
        {
            "days": ["99999999999999999999", "1e999", "-1", "nan", NOT_UTF8],
            "outcome": [NOT_UTF8, "x" * 5000],
        },
    ),
    "/split-leg/before": (
        "/split-leg",
        {"left": "3", "right": "3"},
        {
            "left": ["99999999999999999999", "1e999", "nan", "-1e308", NOT_UTF8],
            "client_id": [NOT_UTF8, "x" * 5000, "[" * 3000],
        },
    ),
    "/split-leg/massaged": ("/split-leg", {"calves": "left"}, {"calves": [NOT_UTF8, "x" * 5000]}),
    "/split-leg/stop": ("/split-leg", {"confirm": "yes"}, {"confirm": [NOT_UTF8, "x" * 5000]}),
    "/safety/clearance": (
        "/checkins",
        {},
        {"day": [*DAY_ENDS, NOT_UTF8, "x" * 5000], "client_id": [NOT_UTF8, "x" * 5000]},
    ),
    "/safety/pain-checked": (
        "/checkins",
        {"leg": "left", "back": "/plan"},
        {
            "leg": [NOT_UTF8, "x" * 5000, "[" * 3000],
            "back": ["//evil.example", NOT_UTF8, "x" * 5000],
            "client_id": [NOT_UTF8, "x" * 5000],
        },
    ),
}


def post_form(client: TestClient, path: str, fields: dict[str, Any], **kwargs: Any) -> Any:
    headers = {"content-type": "application/x-www-form-urlencoded", **kwargs.pop("headers", {})}
    return client.post(
        path, content=urlencode(fields), headers=headers, follow_redirects=False, **kwargs
    )


@pytest.mark.parametrize("path", FORMS)
def test_every_form_refuses_each_class_and_writes_nothing(
    client: TestClient, store: Store, path: str
) -> None:
    page, valid, hostile = FORMS[path]
    token = csrf_token(client.get(page).text)
    before = store.data_version()
    fields = {"csrftoken": token, **valid}
    json_accept = {"accept": "application/json"}
    assert post_form(client, path, {**fields, "csrftoken": "forged"}).status_code == 403
    for host in BAD_HOSTS:
        assert post_form(client, path, fields, headers={"host": host}).status_code == 400
    big = {**fields, "x": "y" * (limits.body_limit(path) + 1)}
    if limits.body_limit(path) <= limits.FORM_BYTES:
        assert post_form(client, path, big).status_code == 413
    asks_again = path.startswith("/screening")
    for name, values in hostile.items():
        for value in values:
            response = post_form(client, path, {**fields, name: value}, headers=json_accept)
            low = 200 if asks_again else 400
            assert low <= response.status_code < 500, (path, name, value[:20], response.text[:300])
    assert store.data_version() == before


# -- the command line --------------------------------------------------------------------------

PLAN_FILE = Path(__file__).parents[1] / "data" / "plans" / "coach_right_foam_roller.json"
COMMANDS: dict[str, list[str]] = {
    # every command, with arguments it runs with (reads may succeed; none waits for a person)
    "screen": ["--answers", "ANSWERS"],
    "plan": ["--tool", "ball"],
    "session": ["--plan", str(PLAN_FILE), "--replay", "EVENTS", "--json"],
    "learn": ["safety"],
    "serve": ["--host", "0.0.0.0", "--no-browser"],  # refused in every case: never serves
    "history": ["--json"],
    "stats": ["--json"],
    "insights": ["--json"],
    "split-leg status": [],
    "split-leg today": [],
    "split-leg start": ["--days", "14"],
    "split-leg draw": [],
    "split-leg massaged": ["left"],
    "split-leg stop": ["--yes"],
    "split-leg list": [],
    "safety clear": ["--clinician-ruled-out-clot"],
    "safety pain-checked": ["--leg", "left"],
    "export": ["--output", "-"],
    "import": ["IMPORT"],
    "report": ["--output", "REPORT"],
    "log soreness": ["--moment", "after", "--left", "3"],
    "log mobility": ["--left", "9.5"],
    "log note": ["hello"],
    "log session": ["--tool", "ball"],
    # no password on standard input: refused (exit 2) before anything is written
    "admin create-account": ["--login", "jo.smith", "--role", "clinician", "--password-stdin"],
    "admin reset-password": ["--login", "jo.smith", "--password-stdin"],
    # no such clinician's account in a fresh folder: refused (exit 2), nothing written
    "clinician people": ["--login", "physio"],
    "clinician invite": ["--login", "physio"],
    "clinician export": ["--login", "physio", "--person", "jo.smith"],
    "clinician revoke": ["--login", "physio", "--invitations"],
    # nobody shares in a fresh folder: nothing to work out (exit 0), nothing written
    "clinician refresh": [],
}
WRITES = {"import", "log soreness", "log mobility", "log note", "log session"}
WRITES |= {"split-leg start", "split-leg draw", "split-leg massaged", "split-leg stop"}
WRITES |= {"safety clear", "safety pain-checked"}
JSON_FILES = {"--answers", "--screening", "--plan", "--replay", "file"}
NUMBERS = {"--left", "--right", "--seconds", "--seconds-per-calf", "--pace", "--limit", "--port"}
DAYS = {"--day", "--since", "--until"}
LIVE_ONLY = {("session", o) for o in ("--seconds-per-calf", "--pace", "--screening")}
"""Options of the live coach, not read with --replay (the live coach needs a terminal)."""
UNREADABLE_FILES = [raw for raw, _ in RAW_BODIES.values() if raw]


def command_params() -> dict[str, list[Any]]:
    """Each command of the real CLI and its parameters that take a value (Typer's own
    click objects: options have ``opts``, arguments a ``name``)."""
    from calfcare.cli import build_app

    out: dict[str, list[Any]] = {}
    pending: list[tuple[str, Any]] = [("", typer.main.get_command(build_app()))]
    while pending:
        name, command = pending.pop()
        if hasattr(command, "commands"):
            pending.extend((f"{name} {sub}".strip(), c) for sub, c in command.commands.items())
        else:
            takes = [p for p in command.params if not getattr(p, "is_flag", False)]
            out[name] = [p for p in takes if p.name != "json_output"]
    return out


def is_option(param: Any) -> bool:
    return bool(getattr(param, "param_type_name", "") == "option")


def option_name(param: Any) -> str:
    return str(param.opts[0] if is_option(param) else param.name)


class Cli:
    """The real entry point, in-process: exit status, and stdout + stderr together."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
        self.folder, self.monkeypatch, self.capsys = folder, monkeypatch, capsys
        monkeypatch.setenv("CALFCARE_DATA_DIR", str(folder / "data"))
        monkeypatch.setenv("MPLCONFIGDIR", str(folder / "mpl"))
        monkeypatch.setenv("COLUMNS", "80")
        monkeypatch.delenv("CALFCARE_DATABASE_URL", raising=False)
        self.files = {
            "ANSWERS": self.write("answers.json", json.dumps(SCREENING).encode()),
            "EVENTS": self.write("events.json", b'[{"t": 1, "event": "quit"}]'),
            "IMPORT": self.write("import.json", json.dumps(API_WRITES["/api/import"]).encode()),
            "REPORT": str(folder / "report.svg"),
        }

    def write(self, name: str, raw: bytes) -> str:
        path = self.folder / name
        path.write_bytes(raw)
        return str(path)

    def run(self, args: list[str], stdin: bytes = b"") -> tuple[int, str]:
        from calfcare import launcher

        args = [self.files.get(a, a) for a in args]
        self.monkeypatch.setattr(sys, "argv", ["calfcare", *args])
        self.monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        status = 0
        try:
            launcher.main()
        except SystemExit as done:
            status = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        out, err = self.capsys.readouterr()
        self.stdout = out
        text = out + err
        assert "internal error" not in text and "Traceback" not in text, (args, text[-800:])
        return status, text

    def version(self) -> int:
        with open_store(Settings(data_dir=self.folder / "data")) as opened:
            return opened.data_version()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> Cli:
    runner = Cli(tmp_path, monkeypatch, capsys)
    assert runner.run(["log", "note", "already here"])[0] == 0
    return runner


def test_every_command_is_in_the_table() -> None:
    assert set(command_params()) == set(COMMANDS)


def with_value(base: list[str], param: Any, value: str) -> list[str]:
    """``base`` with ``param`` set to ``value`` (replacing a value given there)."""
    if not is_option(param):  # a positional argument: the first non-option
        args, done = [], False
        for i, arg in enumerate(base):
            prev = base[i - 1] if i else ""
            if not done and not arg.startswith("-") and not prev.startswith("-"):
                args.append(value)
                done = True
            else:
                args.append(arg)
        return args if done else [*base, value]
    opt = param.opts[0]
    if opt in base:
        i = base.index(opt)
        return [*base[:i], opt, value, *base[i + 2 :]]
    return [*base, opt, value]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_refuses_each_class(cli: Cli, name: str) -> None:
    base = [*name.split(), *COMMANDS[name]]
    status, text = cli.run(base)
    assert status in (0, 2), text  # (serve: refused, 2; the others run)
    before = cli.version()
    params = command_params()[name]
    for param in params:
        opt = option_name(param)
        cases = ["not\udcffutf8", "\udcfe"]
        if opt in NUMBERS and (name, opt) not in LIVE_ONLY:  # (not UTF-8: refused anyway)
            cases += ["1e999", "-1e308", "nan", "99999999999999999999", "-99999999999999999999"]
        if opt in DAYS and name in WRITES:
            cases += DAY_ENDS
        if opt in JSON_FILES and (name, opt) not in LIVE_ONLY:
            cases += [cli.write(f"bad{i}.json", raw) for i, raw in enumerate(UNREADABLE_FILES)]
        for value in cases:
            status, text = cli.run(with_value(base, param, value))
            assert status == 2, (name, opt, value[:40], text[-500:])
            if "\udcff" in value or "\udcfe" in value:
                assert "not UTF-8" in text
    if name in ("screen", "plan"):
        for raw in UNREADABLE_FILES[:4]:  # standard input, read as bytes
            option = "--answers" if name == "screen" else "--screening"
            status, _ = cli.run([*name.split(), *with_dash(COMMANDS[name], option)], stdin=raw)
            assert status == 2
    assert cli.version() == before


@pytest.mark.slow
@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_quiet_into_a_closed_pipe(cli: Cli, name: str) -> None:
    """`calfcare stats | head -1`: a command whose output's reader has gone says nothing and
    exits 141, as Unix tools do (no traceback, no "Exception ignored"); one that prints
    nothing on standard output ends as it would have anyway."""
    args = [cli.files.get(a, a) for a in [*name.split(), *COMMANDS[name]]]
    shutil.copytree(cli.folder / "data", cli.folder / "pipe" / "data")  # the same start
    status, text = cli.run(args)
    printed = bool(cli.stdout)
    done = run_into_a_closed_pipe(args, cli.folder / "pipe")
    assert done.returncode == (141 if printed else status), (name, done.stderr[-500:], text[-300:])
    if printed:
        assert done.stderr == "", (name, done.stderr[-500:])
    for bad in ("Traceback", "Exception ignored", "internal error", "Broken pipe"):
        assert bad not in done.stderr, (name, done.stderr[-500:])


def pipe_env(folder: Path) -> dict[str, str]:
    return {
        "CALFCARE_DATA_DIR": str(folder / "data"),
        "MPLCONFIGDIR": str(folder / "mpl"),
        "COLUMNS": "80",
    }


def run_into_a_closed_pipe(
    args: list[str], folder: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """The real CLI with standard output a pipe whose reader is already gone: every write to
    it fails (EPIPE), deterministically, as `| head` does once it has what it wants."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "calfcare", *args],
            input=stdin,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, **pipe_env(folder)},
        )
    finally:
        os.close(write_end)


def with_dash(base: list[str], option: str) -> list[str]:
    return (
        [*base, option, "-"] if option not in base else [*base[: base.index(option)], option, "-"]
    )


@pytest.mark.parametrize("name", ["history", "stats", "insights", "report"])
def test_reads_at_the_ends_of_the_calendar_work_in_the_cli(cli: Cli, name: str) -> None:
    base = [name, *COMMANDS[name]]
    status, text = cli.run([*base, "--since", "0001-01-01", "--until", "9999-12-31"])
    assert status == 0, text
    status, text = cli.run([*base, "--since", "9999-12-31", "--until", "9999-12-31"])
    if name == "report":  # a report of days that are all still to come: a clear refusal
        assert status == 2, text
        assert "since: 9999-12-31 is after today" in text
    else:
        assert status == 0, text


def test_an_import_is_refused_whole_for_one_day_at_an_end(cli: Cli) -> None:
    before = cli.version()
    for value in DAY_ENDS:
        document = json.loads(json.dumps(API_WRITES["/api/import"]))
        document["notes"].append({**NOTE, "id": "n2", "day": value})
        status, text = cli.run(["import", cli.write("ends.json", json.dumps(document).encode())])
        assert status == 2 and "notes.1.day" in text
    for field, value in SPLIT_LEG_FIELDS:
        document = split_leg_import(field, value)
        status, text = cli.run(["import", cli.write("ends.json", json.dumps(document).encode())])
        assert status == 2 and field in text, (field, value, text[-300:])
    assert cli.version() == before
