"""Storage of chunks and document records; :class:`Store` is the interface the layers above
use (:mod:`vectorstore.interface`), :class:`vectorstore.store.VectorStore` implements it."""

from .interface import Store, Where

__all__ = ["Store", "Where"]
