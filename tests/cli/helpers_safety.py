"""Recording a safety history in a test's own data folder, as the CLI would find it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from calfcare.core.levels import Leg
from calfcare.core.records import CalfRecord, SessionRecord, SessionSource
from calfcare.core.routine import Tool
from calfcare.core.screening_rules import GENERAL_QUESTION_IDS, LEG_QUESTION_IDS
from calfcare.core.timeline import Outcome
from tests.conftest import run_cli


def answers(**changes: Any) -> str:
    """Screening answers, all "no"; ``anticoagulants=True`` or ``left_open_wound=True``."""
    data: dict[str, Any] = {
        "contract": 1,
        "legs": ["left", "right"],
        "general": dict.fromkeys(GENERAL_QUESTION_IDS, False),
        "left": dict.fromkeys(LEG_QUESTION_IDS, False),
        "right": dict.fromkeys(LEG_QUESTION_IDS, False),
    }
    for key, value in changes.items():
        scope, _, rule = key.partition("_")
        if scope in ("left", "right"):
            data[scope][rule] = value
        else:
            data["general"][key] = value
    return json.dumps(data)


class Folder:
    """One person's data folder; ``cli`` runs the real CLI in a subprocess against it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.env = {"CALFCARE_DATA_DIR": str(path)}

    def cli(self, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
        done = run_cli(*args, stdin=stdin, env=self.env)
        return done.returncode, done.stdout, done.stderr

    def screen(self, **changes: Any) -> None:
        code, _, err = self.cli("screen", "--answers", "-", stdin=answers(**changes))
        assert code == 0, err

    def safety(self) -> dict[str, Any]:
        code, out, err = self.cli("safety", "--json")
        assert code == 0, err
        document: dict[str, Any] = json.loads(out)
        return document

    def stop_for_sharp_pain(self, *legs: Leg) -> None:
        """A coach session that stopped for sharp pain on the last of ``legs``, a minute ago."""
        from calfcare.storage import open_store

        at = datetime.now().astimezone() - timedelta(minutes=3)
        record = SessionRecord(
            id=f"stop-{'-'.join(leg.value for leg in legs)}-{at.timestamp():.0f}",
            day=at.date(),
            started_at=at,
            source=SessionSource.COACH,
            tool=Tool.BALL,
            intensity=None,
            outcome=Outcome.STOPPED_SHARP_PAIN,
            duration_seconds=100.0,
            calves=tuple(CalfRecord(leg, 150, 40.0) for leg in legs),
        )
        store = open_store(f"sqlite:///{self.path / 'calfcare.sqlite3'}")
        try:
            with store.transaction() as tx:
                tx.add_session(record)
        finally:
            store.close()
