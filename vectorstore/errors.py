"""Named exceptions of the storage layer."""

from __future__ import annotations


class StoreError(Exception):
    """Base class for vector-store problems."""


class IndexMismatchError(StoreError):
    """The index was built with another model, dimension or chunker version."""


class StoreUnavailableError(StoreError):
    """The configured Chroma server or directory cannot be used."""
