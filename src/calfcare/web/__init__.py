"""calfcare's web app: a thin adapter over the same core and content as the CLI.

Routes parse the request, call ``core``/``content`` and render; no rule lives here. Nothing
is built at import time: `calfcare.web.app.create_app(settings)` makes the app. See
docs/web.md (pages, security) and docs/api.md (the JSON API).
"""
