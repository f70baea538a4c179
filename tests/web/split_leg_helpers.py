"""Getting a split-leg coin through the API, as a person would: plan the experiment, rate
both calves before the session, then draw."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient


def draw_todays_coin(client: TestClient, **plan: Any) -> dict[str, Any]:
    """Plan an experiment (if none runs), rate both calves before today's session, draw."""
    state = client.get("/api/split-leg").json()
    if state["status"] != "running":
        started = client.post("/api/split-leg/experiments", json=plan)
        assert started.status_code == 201, started.text
    rated = client.post("/api/checkins/soreness", json={"moment": "before", "left": 4, "right": 4})
    assert rated.status_code == 201, rated.text
    drawn = client.post("/api/split-leg/days", json={})
    assert drawn.status_code in (200, 201), drawn.text
    coin: dict[str, Any] = drawn.json()
    return coin
