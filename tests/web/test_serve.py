"""`calfcare serve`: loopback by default, refuses other addresses without --allow-remote."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from calfcare.cli import serve as serve_module
from tests.conftest import run_cli

ONE: dict[str, Any] = {"workers": 1, "forwarded_allow_ips": "127.0.0.1"}
"""The options that Typer fills in when `serve` is called from the command line."""


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.10", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert serve_module.is_loopback(host) is loopback


def test_a_non_loopback_host_is_refused_with_exit_2() -> None:
    done = run_cli("serve", "--host", "0.0.0.0", "--no-browser")
    assert done.returncode == 2
    assert "no accounts yet" in done.stderr and "--allow-remote" in done.stderr


def test_the_environment_host_is_checked_too() -> None:
    done = run_cli("serve", "--no-browser", env={"CALFCARE_HOST": "0.0.0.0"})
    assert done.returncode == 2


def test_allow_remote_warns_and_serves(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    calls: list[tuple[Any, bool]] = []
    monkeypatch.setattr(
        serve_module, "_run", lambda s, f, open_browser: calls.append((s, open_browser))
    )
    monkeypatch.setattr(serve_module, "port_free", lambda host, port: True)
    serve_module.serve(
        host="0.0.0.0",
        port=8123,
        no_browser=True,
        allow_remote=True,
        allowed_host=["box.local", "192.168.1.20"],
        server=False,
        allow_sign_up=False,
        workers=1,
        forwarded_allow_ips="127.0.0.1",
    )
    err = capsys.readouterr().err
    assert "WARNING" in err and "box.local" in err and "192.168.1.20" in err
    assert "others are refused" in err
    assert calls[0][0].host == "0.0.0.0" and calls[0][0].port == 8123
    assert calls[0][0].allowed_hosts == ("box.local", "192.168.1.20")
    assert calls[0][1] is False


def test_a_wildcard_address_without_host_names_is_refused_with_the_fix() -> None:
    done = run_cli("serve", "--host", "0.0.0.0", "--allow-remote", "--no-browser")
    assert done.returncode == 2
    assert "--allowed-host" in done.stderr and "CALFCARE_ALLOWED_HOSTS" in done.stderr
    assert "DNS rebinding" in done.stderr


def test_allowed_hosts_come_from_the_environment_too(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(serve_module, "_run", lambda s, f, open_browser: calls.append(s))
    monkeypatch.setattr(serve_module, "port_free", lambda host, port: True)
    monkeypatch.setenv("CALFCARE_ALLOWED_HOSTS", "box.local, 10.0.0.2")
    serve_module.serve(
        host="::", port=8124, no_browser=True, allow_remote=True, allowed_host=[], **ONE
    )
    assert calls[0].allowed_hosts == ("box.local", "10.0.0.2")


def test_an_allowed_host_that_is_not_a_name_is_exit_2() -> None:
    done = run_cli("serve", "--host", "0.0.0.0", "--allow-remote", "--allowed-host", "evil.com/x")
    assert done.returncode == 2
    assert "--allowed-host" in done.stderr and "evil.com/x" in done.stderr


def test_a_port_in_use_says_to_choose_another() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli("serve", "--port", str(port), "--no-browser")
    assert done.returncode == 2
    assert "--port" in done.stderr


def test_url_for() -> None:
    assert serve_module.url_for("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert serve_module.url_for("0.0.0.0", 80) == "http://127.0.0.1:80/"
    assert serve_module.url_for("::1", 8000) == "http://[::1]:8000/"


def test_the_browser_opens_only_once_the_server_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", opened.append)

    class NeverStarted:
        started = False

    serve_module._open_when_started(NeverStarted(), "http://x/", timeout=0.1)
    assert opened == []

    class Started:
        started = True

    serve_module._open_when_started(Started(), "http://x/")
    assert opened == ["http://x/"]


def serve_server(monkeypatch: pytest.MonkeyPatch, **options: Any) -> list[Any]:
    """`calfcare serve --server` up to uvicorn (not started): the settings it would run."""
    calls: list[Any] = []
    monkeypatch.setattr(serve_module, "_run", lambda s, f, open_browser: calls.append(s))
    monkeypatch.setattr(serve_module, "port_free", lambda host, port: True)
    defaults: dict[str, Any] = {
        "host": None, "port": 8124, "no_browser": True, "allow_remote": False,
        "allowed_host": [], "server": True, "allow_sign_up": False, "workers": 1,
        "forwarded_allow_ips": "127.0.0.1",
    }  # fmt: skip
    serve_module.serve(**{**defaults, **options})
    return calls


def test_server_mode_on_sqlite_warns_and_serves(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    calls = serve_server(monkeypatch)
    err = capsys.readouterr().err
    assert "WARNING: server mode on SQLite" in err and "PostgreSQL is recommended" in err
    assert calls[0].server is True and calls[0].allow_sign_up is False


def test_server_mode_needs_no_allow_remote_but_host_names(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    calls = serve_server(monkeypatch, host="0.0.0.0", allowed_host=["box.local"])
    err = capsys.readouterr().err
    assert "need a sign-in" in err and "box.local" in err
    assert calls[0].host == "0.0.0.0" and calls[0].allow_sign_up is False
    done = run_cli("serve", "--server", "--host", "0.0.0.0", "--no-browser")
    assert done.returncode == 2 and "--allowed-host" in done.stderr


def test_allow_sign_up_needs_server_mode() -> None:
    done = run_cli("serve", "--allow-sign-up", "--no-browser")
    assert done.returncode == 2 and "--allow-sign-up needs --server" in done.stderr


def test_server_mode_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from calfcare.settings import environment_of, load_settings

    settings = load_settings({"CALFCARE_SERVER": "1", "CALFCARE_ALLOW_SIGN_UP": "1"})
    assert settings.server and settings.allow_sign_up
    assert load_settings(environment_of(settings)) == settings  # what workers read back
    assert not load_settings({}).server
