"""Deep links to source items (the one place their URL shape is written)."""

from __future__ import annotations

from urllib.parse import quote

UNNUMBERED = "-"
"""The URL segment of the unnumbered item of a document without agenda structure."""


def item_url(meeting_id: str, item_number: str, chunk_id: str | None = None) -> str:
    """Stable deep link to the source item, optionally highlighting one chunk."""
    url = f"/item/{quote(meeting_id)}/{quote(item_number or UNNUMBERED)}"
    return f"{url}?hl={quote(chunk_id)}" if chunk_id else url


__all__ = ["UNNUMBERED", "item_url"]
