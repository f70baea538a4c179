"""Security on every response: headers, CSRF on every form, host and origin checks, 500s."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from calfcare.settings import Settings
from calfcare.web import csrf
from calfcare.web.app import create_app
from calfcare.web.limits import allowed_hosts_for, host_name
from calfcare.web.security import SECURITY_HEADERS, has_headers
from tests.web.conftest import BASE_URL, TestClient, csrf_token
from tests.web.forms import FORM_HEADERS, form, post_form

GETS = [
    "/",
    "/screening",
    "/learn",
    "/mobility/knee-to-wall",
    "/favicon.ico",
    "/static/calfcare.css",
    "/api/sources",
    "/api/learn",
    "/api/screening/questions",
    "/openapi.json",
    "/no-such-page",
    "/api/no-such-endpoint",
]


@pytest.mark.parametrize("path", GETS)
def test_every_get_has_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert has_headers(response.headers), dict(response.headers)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    if not path.startswith("/static/") and path != "/favicon.ico":
        assert response.headers["cache-control"] == "no-store"


def test_error_and_refused_responses_have_the_headers_too(client: TestClient) -> None:
    responses = [
        client.post("/api/screening", content=b"{", headers={"content-type": "application/json"}),
        client.post("/api/screening", json={}),
        client.put("/api/sources"),
        client.post("/screening", content=b"legs=left", headers=FORM_HEADERS),
        client.get("/", headers={"host": "evil.example"}),
    ]
    assert [r.status_code for r in responses] == [400, 422, 405, 403, 400]
    for response in responses:
        assert has_headers(response.headers)
        body = response.json()
        assert set(body) >= {"error", "problems"}


def test_a_first_visit_gets_a_signed_http_only_strict_cookie(app: FastAPI) -> None:
    with TestClient(app, base_url=BASE_URL) as fresh:
        response = fresh.get("/screening")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{csrf.COOKIE_NAME}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert csrf_token(response.text) == fresh.cookies[csrf.COOKIE_NAME]


def test_the_api_and_static_files_set_no_cookie(app: FastAPI) -> None:
    with TestClient(app, base_url=BASE_URL) as fresh:
        for path in ("/api/sources", "/static/calfcare.css", "/openapi.json"):
            assert "set-cookie" not in fresh.get(path).headers


def _legs_form(client: TestClient) -> list[tuple[str, str]]:
    return form(client.get("/screening").text).fill({"legs": "left,right"})


def test_a_form_with_the_right_token_is_accepted(client: TestClient) -> None:
    response = post_form(client, "/screening", _legs_form(client))
    assert response.status_code == 200
    assert "First, an emergency check" in response.text


def test_a_form_without_a_token_is_refused(client: TestClient) -> None:
    data = [(k, v) for k, v in _legs_form(client) if k != csrf.FORM_FIELD]
    response = post_form(client, "/screening", data)
    assert response.status_code == 403
    assert response.json()["problems"][0]["field"] == "csrftoken"


def test_a_form_with_a_wrong_token_is_refused(client: TestClient) -> None:
    data = [(k, v) for k, v in _legs_form(client) if k != csrf.FORM_FIELD]
    wrong = csrf.new_token(b"x" * 32)
    response = post_form(client, "/screening", [*data, (csrf.FORM_FIELD, wrong)])
    assert response.status_code == 403
    assert "does not match" in response.json()["error"]


def test_a_form_without_the_cookie_is_refused(client: TestClient) -> None:
    data = _legs_form(client)
    client.cookies.clear()
    response = post_form(client, "/screening", data)
    assert response.status_code == 403
    assert "cookie is missing" in response.json()["error"]


def test_a_token_from_another_server_run_is_refused(tmp_path: Path) -> None:
    old = create_app(Settings(data_dir=tmp_path))
    with TestClient(old, base_url=BASE_URL) as first:
        data = _legs_form(first)
        token = first.cookies[csrf.COOKIE_NAME]
    with TestClient(create_app(Settings(data_dir=tmp_path)), base_url=BASE_URL) as second:
        second.cookies.set(csrf.COOKIE_NAME, token)
        response = post_form(second, "/screening", data)
    assert response.status_code == 403
    assert "out of date" in response.json()["error"]


def test_every_non_api_post_needs_a_token_even_to_unknown_paths(client: TestClient) -> None:
    for path in ("/screening/answers.json", "/no-such-form", "/learn"):
        assert post_form(client, path, [("a", "b")]).status_code == 403


def test_a_json_body_is_not_accepted_as_a_form(client: TestClient) -> None:
    token = csrf_token(client.get("/screening").text)
    response = client.post("/screening", json={"csrftoken": token, "legs": "left"})
    assert response.status_code == 403


def test_an_oversized_form_is_refused(client: TestClient) -> None:
    data = [*_legs_form(client), ("padding", "x" * 70_000)]
    assert post_form(client, "/screening", data).status_code == 413


def test_a_refused_form_in_a_browser_gets_an_html_page(client: TestClient) -> None:
    response = post_form(client, "/screening", [("legs", "left")], headers={"accept": "text/html"})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert 'role="alert"' in response.text and "reload the page" in response.text


def test_a_post_from_another_origin_is_refused(client: TestClient) -> None:
    data = _legs_form(client)
    response = post_form(client, "/screening", data, headers={"origin": "http://evil.example"})
    assert response.status_code == 403
    api = client.post("/api/screening", json={}, headers={"origin": "http://evil.example"})
    assert api.status_code == 403
    same = post_form(client, "/screening", data, headers={"origin": BASE_URL})
    assert same.status_code == 200


def test_an_unknown_host_is_refused_against_dns_rebinding(client: TestClient) -> None:
    assert client.get("/", headers={"host": "evil.example:8000"}).status_code == 400
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000"):
        assert client.get("/", headers={"host": host}).status_code == 200, host


def test_allowed_hosts() -> None:
    # A wildcard bind never accepts any name (issue 13): its own names, and those given.
    assert allowed_hosts_for("0.0.0.0") == {"127.0.0.1", "localhost", "::1"}
    assert allowed_hosts_for("::", ("Box.local", "[fe80::1]")) == {
        "127.0.0.1",
        "localhost",
        "::1",
        "box.local",
        "fe80::1",
    }
    assert set(allowed_hosts_for("127.0.0.1")) == {"127.0.0.1", "localhost", "::1"}
    assert "192.168.1.5" in allowed_hosts_for("192.168.1.5")
    assert host_name("[::1]:80") == "::1"
    assert host_name("localhost") == "localhost"
    assert host_name("LocalHost") == "localhost"
    assert host_name("127.0.0.1:8000") == "127.0.0.1"


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:8000@evil.com",
        "127.0.0.1:evil",
        "127.0.0.1:8000:9000",
        "user@127.0.0.1",
        "127.0.0.1 evil.com",
        "127.0.0.1/evil",
        "[::1",
        "[::1]x",
        "",
        ":8000",
        "127.0.0.1:123456",
    ],
)
def test_a_host_header_that_is_not_a_name_and_port_is_refused(
    client: TestClient, host: str
) -> None:
    assert host_name(host) is None
    response = client.get("/", headers={"host": host})
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "host"
    write = client.post("/api/notes", json={"text": "x"}, headers={"host": host})
    assert write.status_code == 400
    assert client.get("/api/records").json() == []  # nothing was written


def test_a_wildcard_app_answers_only_to_its_allowed_hosts(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, host="0.0.0.0", allowed_hosts=("box.local",)))
    with TestClient(app, base_url="http://box.local:8000") as box:
        assert box.get("/").status_code == 200
        for host in ("evil.example", "box.local.evil.example", "192.168.1.9"):
            assert box.get("/", headers={"host": host}).status_code == 400, host
        assert box.get("/", headers={"host": "127.0.0.1:8000"}).status_code == 200


def test_an_unexpected_error_is_a_contract_shaped_500_with_headers(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path))

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret detail")

    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as client:
        response = client.get("/api/boom")
    assert response.status_code == 500
    assert response.json() == {
        "error": "Internal error: this is a bug in calfcare.",
        "problems": [],
    }
    assert "secret detail" not in response.text
    assert has_headers(response.headers)


def test_the_header_table_is_what_docs_web_md_lists() -> None:
    text = (Path(__file__).parents[2] / "docs" / "web.md").read_text()
    for name in SECURITY_HEADERS:
        assert name in text.lower(), name


@pytest.mark.parametrize("path", ["/screening", "/plan"])
def test_two_browsers_get_their_own_token_from_a_cached_page_and_both_work(
    app: FastAPI, path: str
) -> None:
    with (
        TestClient(app, base_url=BASE_URL) as alice,
        TestClient(app, base_url=BASE_URL) as bob,
    ):
        alice_page, bob_page = alice.get(path).text, bob.get(path).text
        alice_token, bob_token = csrf_token(alice_page), csrf_token(bob_page)
        assert alice_token != bob_token
        assert alice_token == alice.cookies[csrf.COOKIE_NAME]
        assert bob_token == bob.cookies[csrf.COOKIE_NAME]
        # Bob's page came from the cache Alice's visit filled: the same page but the token.
        assert bob_page.replace(bob_token, alice_token) == alice_page
        assert len(app.state.pages.cache) == 1
        legs = [("legs", "left,right"), ("asked", "legs")]
        for client, token in ((alice, alice_token), (bob, bob_token)):
            response = post_form(client, "/screening", [(csrf.FORM_FIELD, token), *legs])
            assert response.status_code == 200, response.text
        # Each token works only with its own browser's cookie.
        crossed = post_form(alice, "/screening", [(csrf.FORM_FIELD, bob_token), *legs])
        assert crossed.status_code == 403


def test_a_response_keeps_its_own_security_headers_and_gets_no_second_copy() -> None:
    from starlette.responses import PlainTextResponse
    from starlette.types import Receive, Scope, Send

    from calfcare.web.errors import error_response
    from calfcare.web.security import SecurityMiddleware

    async def own_headers(scope: Scope, receive: Receive, send: Send) -> None:
        headers = {"Cache-Control": "max-age=60", "X-Frame-Options": "SAMEORIGIN"}
        await PlainTextResponse("hi", headers=headers)(scope, receive, send)

    app = SecurityMiddleware(
        own_headers, secret=b"s" * 32, allowed_hosts=None, error_response=error_response
    )
    response = TestClient(app, base_url=BASE_URL).get("/page")  # no lifespan: plain ASGI app
    raw = [name.lower() for name, _ in response.headers.multi_items()]
    assert response.headers["cache-control"] == "max-age=60"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert raw.count("cache-control") == raw.count("x-frame-options") == 1
    for name in set(SECURITY_HEADERS) - {"x-frame-options"}:
        assert response.headers[name] == SECURITY_HEADERS[name]
    assert response.headers["set-cookie"].startswith(f"{csrf.COOKIE_NAME}=")
