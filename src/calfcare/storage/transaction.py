"""The transaction a use case works in (`Store.transaction`, `Store.reading`): its reads,
summaries and writes, each in its own module."""

from __future__ import annotations

from calfcare.storage.reads import Reads
from calfcare.storage.summaries import Summaries
from calfcare.storage.writes import Writes


class Transaction(Writes, Reads, Summaries):
    """What a use case can do inside `Store.transaction`: add records (`Writes`), read them
    (`Reads`) and count or summarise them (`Summaries`). Inside `Store.reading` its writes
    raise."""


__all__ = ["Transaction"]
