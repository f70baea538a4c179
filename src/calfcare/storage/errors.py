"""Storage's one error: the database could not be used (exit status 1, HTTP 503).

Bad *input* is never a `StorageError`: it is refused as `InvalidInput` before anything is
written. This is for a database that cannot be reached, is locked for too long, or was
written by a newer calfcare; the message says which, without the URL's password.
"""

from __future__ import annotations

from calfcare.core.errors import StorageError

__all__ = ["StorageError"]
