"""Gzip only for clients that accept it; everyone else gets the plain bytes, untouched."""

from __future__ import annotations

import gzip

import pytest

from tests.web.conftest import TestClient


@pytest.mark.parametrize("path", ["/learn", "/api/learn", "/static/session/app.js"])
def test_a_client_that_accepts_gzip_gets_gzip_and_a_vary_header(
    client: TestClient, path: str
) -> None:
    plain = client.get(path, headers={"accept-encoding": "identity"})
    packed = client.get(path, headers={"accept-encoding": "br, gzip"})
    assert packed.status_code == plain.status_code == 200
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    # httpx decodes the body: what the browser reads is what the plain client got.
    assert packed.content == plain.content
    assert len(packed.content) > 1000


@pytest.mark.parametrize("encoding", [None, "identity", "br, deflate"])
def test_a_client_that_does_not_accept_gzip_gets_the_plain_body(
    client: TestClient, encoding: str | None
) -> None:
    # httpx would send "gzip, deflate" by default: an empty value stands for no header.
    headers = {"accept-encoding": encoding or ""}
    response = client.get("/learn", headers=headers)
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert int(response.headers["content-length"]) == len(response.content)
    assert b"<html" in response.content


def test_small_answers_are_never_compressed(client: TestClient) -> None:
    raw = client.get("/favicon.ico", headers={"accept-encoding": "gzip"})
    assert raw.status_code == 200
    assert len(raw.content) < 1000
    assert "content-encoding" not in raw.headers


def test_gzip_round_trip_is_exact(client: TestClient) -> None:
    """The compressed stream itself (not httpx's decoding) holds the same page."""
    with client.stream("GET", "/learn", headers={"accept-encoding": "gzip"}) as response:
        compressed = b"".join(response.iter_raw())
    plain = client.get("/learn", headers={"accept-encoding": "identity"}).content
    assert gzip.decompress(compressed) == plain
