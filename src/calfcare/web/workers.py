"""The app as uvicorn's worker processes build it: `calfcare serve --workers N`.

uvicorn starts each worker in a new process, so it needs the app as an import string, not
an object: `app_from_environment` is the factory it names. The command hands its settings
over as ``CALFCARE_*`` variables (`calfcare.settings.environment_of`), including one
``CALFCARE_SECRET_KEY`` for all the workers, so that a form made by one worker is accepted
by another. Nothing else that matters is kept per process: the stored records and the read
caches' data version are in the database (docs/deployment.md).
"""

from __future__ import annotations

from fastapi import FastAPI

from calfcare.settings import load_settings
from calfcare.web.app import create_app

FACTORY = "calfcare.web.workers:app_from_environment"
"""The import string uvicorn is given."""


def app_from_environment() -> FastAPI:
    """The web app for the ``CALFCARE_*`` variables of this process."""
    return create_app(load_settings())
