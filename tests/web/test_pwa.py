"""The installable web app (issue 15): the manifest is valid and linked from every page, its
icons exist at their sizes, and the service worker's version and lists follow the files."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image

from calfcare.web import pwa
from calfcare.web.templating import STATIC_DIR
from tests.web.conftest import TestClient

PAGES = ["/", "/plan", "/session", "/checkins", "/learn", "/history", "/screening"]


def test_the_manifest_is_valid_and_its_icons_exist(client: TestClient) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    for key in ("name", "short_name", "start_url", "display", "theme_color", "background_color"):
        assert isinstance(manifest[key], str) and manifest[key], key
    assert manifest["display"] == "standalone"
    assert client.get(manifest["start_url"]).status_code == 200
    css = (STATIC_DIR / "calfcare.css").read_text(encoding="utf-8")
    assert f"--brand: {manifest['theme_color']}" in css
    assert f"--bg: {manifest['background_color'][:4]}" in css  # #fff, written short there
    sizes: dict[str, set[str]] = {}
    for icon in manifest["icons"]:
        got = client.get(icon["src"])
        assert got.status_code == 200 and got.headers["content-type"] == icon["type"] == "image/png"
        image = Image.open(io.BytesIO(got.content))
        assert f"{image.width}x{image.height}" == icon["sizes"], icon
        sizes.setdefault(icon["purpose"], set()).add(icon["sizes"])
    assert sizes == {"any": {"192x192", "512x512"}, "maskable": {"512x512"}}


def test_a_maskable_icon_keeps_its_drawing_in_the_safe_zone() -> None:
    """A maskable icon may be cut to a circle of 80 % of its width: the drawing stays inside,
    and the rest is the background colour (no transparent corners)."""
    image = Image.open(STATIC_DIR / "icons" / "icon-maskable-512.png").convert("RGBA")
    corner = image.getpixel((0, 0))
    assert corner == (11, 93, 75, 255)  # the theme colour, opaque
    radius = 0.4 * image.width
    for x in range(0, image.width, 8):
        for y in range(0, image.height, 8):
            if (x - image.width / 2) ** 2 + (y - image.height / 2) ** 2 > radius**2:
                assert image.getpixel((x, y)) == corner, (x, y)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_links_the_manifest(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#0b5d4b">' in html


def test_the_service_worker_lists_files_that_exist(client: TestClient) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["service-worker-allowed"] == "/"
    script = response.text
    assert "__" not in re.sub(r"//.*", "", script).replace("__proto__", "")  # every fill done
    files = json.loads(re.search(r"const FILES = (\[.*?\]);", script).group(1))  # type: ignore[union-attr]
    pages = json.loads(re.search(r"const PAGES = (\[.*?\]);", script).group(1))  # type: ignore[union-attr]
    for url in files + pages:
        assert client.get(url).status_code == 200, url
    assert {"/", "/plan", "/session", "/checkins"} <= set(pages)
    assert f'const VERSION = "{pwa.worker_version()}";' in script
    assert "http://" not in script and "https://" not in script  # nothing from elsewhere


def test_the_version_follows_the_files(monkeypatch: pytest.MonkeyPatch) -> None:
    before = pwa.worker_version()
    assert re.fullmatch(r"[0-9a-f]{12}", before)
    pwa.worker_version.cache_clear()
    assert pwa.worker_version() == before  # the same files, the same version (every worker)
    monkeypatch.setattr(pwa, "__version__", "99.0")
    pwa.worker_version.cache_clear()
    try:
        assert pwa.worker_version() != before
    finally:
        monkeypatch.undo()
        pwa.worker_version.cache_clear()


def test_queued_forms_exist_and_leave_out_the_next_day_check(client: TestClient) -> None:
    """The check-ins kept offline are forms the app has; the next-day check-in, which asks
    about signs of a clot, is never among them (it must be judged when it is sent)."""
    for path in pwa.QUEUED_FORMS:
        assert client.get(path).status_code in (200, 405), path  # a form's page, or POST only
    assert client.get("/checkins/nothing-here").status_code == 404
    assert "/checkins/next-day" not in pwa.QUEUED_FORMS
    assert set(pwa.CHECK_IN_FORMS) < set(pwa.QUEUED_FORMS)  # the rest forget the kept pages


def test_every_queued_form_carries_a_client_id(client: TestClient) -> None:
    """A kept check-in may be sent twice (the answer lost on the way): the server must be
    able to tell a repeat, so each queued form carries a client id."""
    found = set()
    pages = ("/checkins", "/checkins/soreness?moment=after", "/checkins/knee-to-wall",
             "/checkins/session")  # fmt: skip
    for page in pages:
        html = client.get(page).text
        for action, body in re.findall(
            r'<form method="post" action="([^"]+)"(.*?)</form>', html, re.S
        ):
            if action in pwa.QUEUED_FORMS:
                assert 'name="client_id"' in body, action
                found.add(action)
    assert found == set(pwa.QUEUED_FORMS)
