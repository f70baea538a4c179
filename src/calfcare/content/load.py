"""Load content files: TOML shipped in the package, validated into typed models.

A malformed file fails loudly at load, naming the file and the field, because a silently
missing warning is worse than a crash at start-up.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from calfcare.core.errors import ContentError

M = TypeVar("M", bound=BaseModel)


class ContentModel(BaseModel):
    """A part of a content file: a key the model does not name is an error (a misspelt key
    would otherwise drop its words silently), and nothing changes it once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def read_toml(filename: str) -> dict[str, object]:
    """The parsed TOML of ``content/data/<filename>``."""
    path = resources.files("calfcare.content") / "data" / filename
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(f"content file {filename} is missing") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"content file {filename} is not valid TOML: {exc}") from exc


def parse_model(filename: str, data: object, model: type[M]) -> M:
    """Validate parsed content into ``model``; errors name the file and every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ContentError(f"content file {filename} is malformed: {fields}") from exc


def load_model(filename: str, model: type[M]) -> M:
    """Read and validate one content file."""
    return parse_model(filename, read_toml(filename), model)
