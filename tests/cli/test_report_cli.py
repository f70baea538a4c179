"""`calfcare report`: PNG and SVG charts, even with no data yet; bad output names exit 2."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli


def cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    done = run_cli(*args, env={"CALFCARE_DATA_DIR": str(tmp_path / "data")})
    return done.returncode, done.stdout, done.stderr


def test_report_png_and_svg(tmp_path: Path) -> None:
    code, _, err = cli(tmp_path, "report", "--output", str(tmp_path / "empty.svg"))
    assert code == 0, err
    assert "nothing recorded yet" in (tmp_path / "empty.svg").read_text()
    cli(tmp_path, "log", "soreness", "--moment", "before", "--left", "2", "--right", "5")
    cli(tmp_path, "log", "mobility", "--left", "9.5")
    code, _, err = cli(tmp_path, "report", "-o", str(tmp_path / "r.png"))
    assert code == 0, err
    data = (tmp_path / "r.png").read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
    code, _, err = cli(tmp_path, "report", "-o", str(tmp_path / "r.gif"))
    assert code == 2 and "--output" in err
