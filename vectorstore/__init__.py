"""Storage of chunks and document records; :class:`Store` is the interface the layers above
use (:mod:`vectorstore.interface`), :class:`vectorstore.store.VectorStore` implements it;
a query's metadata filter is a :class:`vectorstore.filters.MetadataFilter`, in no backend's
dialect."""

from .interface import Store

__all__ = ["Store"]
