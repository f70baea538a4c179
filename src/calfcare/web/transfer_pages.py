"""Export and import, as a page: download everything (JSON to import again, CSV for a
spreadsheet, FHIR for a clinic), or import an export document, uploaded or pasted: all of it
or nothing, every problem named (`calfcare.web.api.transfer` does the work).
"""

from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, Response

from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.whole_number import whole_number
from calfcare.storage import Store
from calfcare.web.api.common import cached
from calfcare.web.api.transfer import export_response, import_bytes
from calfcare.web.deps import ReadCacheDep, StoreDep
from calfcare.web.forms import form_page, see_other
from calfcare.web.limits import IMPORT_BYTES, size_text
from calfcare.web.route_index import Router
from calfcare.web.templating import PagesDep

router = Router(include_in_schema=False)


@router.get("/export", name="export")
async def export(request: Request, pages: PagesDep, cache: ReadCacheDep) -> HTMLResponse:
    """Download everything (JSON to import again, CSV for a spreadsheet); import a file."""
    version, counts = await cached(cache, ("counts",), lambda: _counts(cache.store))
    q = request.query_params
    imported = None
    added, skipped = whole_number(q.get("added", ""), 9), whole_number(q.get("skipped", ""), 9)
    if added is not None and skipped is not None:
        imported = (added, skipped)
    return pages.render_cached(
        request,
        "export.html",
        vary=("data", version),
        counts=counts,
        imported=imported,
        problems=[],
        error=None,
        field_ids={},
        values={},
        file_name=None,
        import_limit=size_text(IMPORT_BYTES),
    )


async def _import_input(text: str, chosen: UploadFile | None) -> bytes:
    """The document to import: the chosen file's bytes, or the pasted text."""
    if chosen is not None and text.strip():
        message = "choose a file or paste its contents, not both"
        raise InvalidInput([Problem("file", message)], "Nothing was imported.")
    if chosen is not None:
        raw = await chosen.read()
        if not raw.strip():
            raise InvalidInput([Problem("file", "the file is empty")], "Nothing was imported.")
        return raw
    if not text.strip():
        message = "choose an export file, or paste its contents"
        raise InvalidInput([Problem("document", message)], "Nothing was imported.")
    return text.strip().encode("utf-8")


def _counts(store: Store) -> dict[str, int]:
    with store.reading() as tx:  # counted in SQL, not by loading every record
        return tx.counts()


@router.get("/export/download", name="export_download")
async def export_download(cache: ReadCacheDep, format: str = "json") -> Response:
    """The file itself, as ``calfcare export --format json|csv|fhir``."""
    return await export_response(cache, format)


@router.post("/import", name="import_data")
async def import_data(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    """Import an export document, uploaded as a file (multipart, up to the import limit,
    checked for its CSRF token like every form) or pasted: all of it or nothing, every
    problem listed. A refused import shows the form again with the pasted text, and names
    the file chosen (a browser never lets a page choose a file for the person)."""
    form = await request.form(max_files=1, max_fields=10, max_part_size=IMPORT_BYTES)
    pasted = form.get("document")
    text = pasted if isinstance(pasted, str) else ""
    upload = form.get("file")
    chosen = upload if isinstance(upload, UploadFile) and upload.filename else None
    try:
        raw = await _import_input(text, chosen)
        summary = await run_in_threadpool(import_bytes, store, raw)
    except InvalidInput as error:
        counts = await run_in_threadpool(_counts, store)
        return form_page(
            request,
            pages,
            "export.html",
            status=422,
            values={"document": text},
            problems=error.problems,
            field_ids={"document": "document", "file": "file"},
            counts=counts,
            imported=None,
            error=error.message,
            file_name=chosen.filename if chosen else None,
            import_limit=size_text(IMPORT_BYTES),
        )
    finally:
        await form.close()
    return see_other(
        request,
        "export",
        added=str(sum(summary.added.values())),
        skipped=str(sum(summary.already_there.values())),
    )
