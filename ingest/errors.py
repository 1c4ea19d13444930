"""Named exceptions of the ingest layer; only the CLI/app turn them into messages."""

from __future__ import annotations


class IngestError(Exception):
    """Base class: something about one input file prevents ingesting it."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class ReadError(IngestError):
    """The file could not be read or decoded into text."""


class ParseError(IngestError):
    """The text was read but is not a recognisable meeting document."""
