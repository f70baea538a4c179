"""Helpers for the server-mode web tests: an app with accounts, and people signed in."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from calfcare.core.accounts import Role
from calfcare.services import accounts, clinic
from calfcare.settings import Settings
from calfcare.storage.accounts import Account
from calfcare.web import deps
from calfcare.web.app import create_app
from tests.storage.backends import migrated_sqlite
from tests.web.conftest import BASE_URL, TestClient, csrf_token

PASSWORD = "correct horse battery"


def server_app(data_dir: Path, *, allow_sign_up: bool = False) -> FastAPI:
    migrated_sqlite(data_dir / "calfcare.sqlite3")  # kept when there (a second instance)
    return create_app(Settings(data_dir=data_dir, server=True, allow_sign_up=allow_sign_up))


def app_of_anna_and_bert(data_dir: Path) -> FastAPI:
    """A server app with two people's accounts, ``anna`` and ``bert``."""
    made = server_app(data_dir)
    make_account(made, "anna")
    make_account(made, "bert")
    return made


def make_account(app: FastAPI, login: str) -> int:
    """An account made as `calfcare admin create-account` makes it; its person's id."""
    account = accounts.sign_up(deps.base_store(app), login, PASSWORD, datetime.now(UTC))
    return account.person_id


def make_clinician(app: FastAPI, login: str) -> Account:
    """A clinician's account, as `calfcare admin create-account --role clinician` makes it."""
    return accounts.sign_up(
        deps.base_store(app), login, PASSWORD, datetime.now(UTC), Role.CLINICIAN
    )


def share(app: FastAPI, clinician: Account, person_id: int) -> None:
    """The person accepts an invitation of ``clinician``'s (through the services)."""
    store, now = deps.base_store(app), datetime.now(UTC)
    clinic.accept_invite(store, clinic.invite(store, clinician, now).code, person_id, now)


class Browser:
    """One browser (its own cookies): ``token`` is its current form token."""

    def __init__(self, app: FastAPI, base_url: str = BASE_URL) -> None:
        self.client = TestClient(app, base_url=base_url)
        self.client.__enter__()
        self.token = csrf_token(self.client.get("/sign-in").text)

    def sign_in(self, login: str, password: str = PASSWORD) -> Any:
        response = self.client.post(
            "/sign-in",
            data={"csrftoken": self.token, "login": login, "password": password},
            follow_redirects=False,
        )
        if response.status_code == 303:
            self.token = csrf_token(self.client.get("/account").text)
        return response

    def form(self, path: str, **fields: str) -> Any:
        return self.client.post(
            path, data={"csrftoken": self.token, **fields}, follow_redirects=False
        )

    def close(self) -> None:
        self.client.__exit__(None, None, None)
