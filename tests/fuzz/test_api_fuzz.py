"""Schemathesis against /openapi.json, in-process, in positive and negative modes.

`tests/web/test_openapi.py` runs the default checks on a read-only app (no database). This
runs against an app with a real SQLite database, so the write endpoints are fuzzed too, with
every check about the server's behaviour (no 5xx; every status, content type, header and
body as documented; missing headers and unsupported methods handled) and the strict checks
about the schema's precision (invalid input refused, ``Allow`` complete). New endpoints are
picked up automatically.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode, checks
from starlette.exceptions import StarletteDeprecationWarning

from calfcare.settings import Settings
from calfcare.web.app import create_app

DATA = Path(tempfile.mkdtemp(prefix="calfcare-fuzz-"))
atexit.register(shutil.rmtree, DATA, True)
# Schemathesis calls the app as "testserver"; the bind host is always an accepted Host.
APP = create_app(Settings(data_dir=DATA, host="testserver"))
with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
# 413 is a refusal too: a body over an endpoint's size limit (a live session's 512 KB, an
# export's 64 MB) is refused before it is parsed, so negative data that is also too big
# (schemathesis makes long lists) rightly gets 413 rather than 422.
_REJECTION = schema.config.checks.negative_data_rejection
_REJECTION.expected_statuses = [*_REJECTION.expected_statuses, "413"]

checks.load_all_checks()
CHECKS = {c.__name__: c for c in checks.CHECKS.get_all()}
# What CI enforces on every operation: no 5xx; every status, content type, header and body
# as documented; required headers and unsupported methods handled; and the schema's
# precision: schema-violating input is refused (`negative_data_rejection`) and a 405 names
# every method of its path (`allow_header_conformance`). Never run: positive_data_acceptance
# (schema-valid input such as a future day is rightly refused by the core's rules, which a
# JSON schema cannot express) and the checks that need several calls, resources or accounts
# (use_after_free, ensure_resource_availability, ignored_auth, object_level_authorization).
ENFORCED = [
    CHECKS[name]
    for name in (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "missing_required_header",
        "unsupported_method",
        "negative_data_rejection",
        "allow_header_conformance",
    )
]


FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


def _call(case: Any, checks: list[Any] = ENFORCED) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StarletteDeprecationWarning)
        case.call_and_validate(checks=checks)


@schema.parametrize()
@FUZZ
def test_api_survives_fuzzing_with_every_check(case: Any) -> None:
    _call(case)
