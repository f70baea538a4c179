"""Export and import (``GET /api/export``, ``POST /api/import``): the same bytes and rules
as ``calfcare export`` and ``calfcare import``. The helpers are shared with the history
and import pages (`calfcare.web.tracking_pages`).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import JSONResponse, Response

from calfcare import services
from calfcare.core import export_format
from calfcare.core.errors import InvalidInput, Problem
from calfcare.web.api import common
from calfcare.web.api.bodies import Body, integer, json_bytes
from calfcare.web.api.common import Open, cached, errors, query_of, read, write_route
from calfcare.web.deps import StoreDep, get_read_cache
from calfcare.web.route_index import Router

router = Router(prefix="/api", tags=["tracking"])

IMPORT = Body(
    "ExportDocument",
    {
        "format": {"const": export_format.FORMAT},
        "version": integer(1, export_format.VERSION),
        **{
            section: {"type": "array", "items": {"type": "object"}}
            for section in export_format.SECTIONS
        },
    },
    required=("format", "version"),
    description="a file from GET /api/export (format calfcare-export, version 2; version 1 "
    "files are still read, without split_leg_experiments); every record is checked as it "
    "would be when made (docs/tracking.md)",
)
"""An export document: the schema only; the route hands the raw bytes to the export
format's own reader (`calfcare.core.export_format.loads`, with its limits)."""


class ImportOut(Open):
    added: dict[str, int]
    already_there: dict[str, int]


@read(
    router,
    "/export",
    responses={
        200: {
            "description": "The export document (JSON), a CSV table, or a FHIR R4 Bundle",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
                "application/fhir+json": {"schema": {"type": "object"}},
            },
        },
        **errors(422),
    },
    openapi_extra={
        "parameters": [
            {
                "name": "format",
                "in": "query",
                "required": False,
                "schema": {"enum": list(services.EXPORT_FORMATS), "default": "json"},
                "description": "json, csv or fhir (a FHIR R4 bundle, application/fhir+json)",
            }
        ]
    },
)
async def api_export(request: Request) -> Response:
    """Every record: JSON (lossless, re-importable), CSV or FHIR R4 (calfcare export)

    The same bytes as ``calfcare export --format json|csv|fhir``."""
    cache = await get_read_cache(request)
    return await export_response(cache, query_of(request).get("format", "json"))


async def export_response(cache: services.ReadCache, fmt: str) -> Response:
    """The export file, encoded once per data version (the bytes do not depend on the day;
    only the file name does)."""
    if fmt not in services.EXPORT_FORMATS:
        raise InvalidInput([Problem("format", f"{fmt!r}: use json, csv or fhir")])
    _, data = await cached(cache, ("export", fmt), lambda: services.export_bytes(cache.store, fmt))
    stamp = common.today().isoformat()
    name = f"calfcare-export-{stamp}.{services.EXPORT_SUFFIXES[fmt]}"
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=services.EXPORT_MEDIA_TYPES[fmt], headers=headers)


@write_route(router, "/import", IMPORT, ImportOut)
async def api_import(request: Request, store: StoreDep) -> JSONResponse:
    """Import an export document: all of it or nothing (calfcare import)

    Idempotent: records already stored are skipped; a record that disagrees with a stored
    one refuses the whole file (422, every problem named, up to the first 50)."""
    data = await json_bytes(request, "the export document")  # bounded: 64 MB here
    summary = import_bytes(store, data)
    return JSONResponse({"added": summary.added, "already_there": summary.already_there})


def import_bytes(store: Any, data: bytes) -> services.ImportSummary:
    """Parse (with the export format's limits) and import; `InvalidInput` otherwise."""
    return services.import_document(store, export_format.loads(data), common.now())
