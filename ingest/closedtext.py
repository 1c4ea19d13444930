"""What of a document's text may be stored: a closed item keeps its content only when the
ingest was asked to (``include_closed``); else its printed text is blanked in the stored
document text, as its chunks leave it out."""

from __future__ import annotations

from .models import Meeting


def holds_closed_content(meeting: Meeting) -> bool:
    """True when a closed item of ``meeting`` kept its content (``include_closed``)."""
    return any(i.closed and (i.sections or i.attachments) for i in meeting.items)


def without_closed_content(meeting: Meeting, text: str) -> str:
    """``text`` with the printed content of closed items whose content is not kept
    blanked (their heading line stays; every offset stays valid), so that the stored
    document text never holds what the chunks leave out."""
    blank = [i for i in meeting.items if i.closed and not i.sections]
    if not blank:
        return text
    chars = list(text)
    kept = bytearray(len(text))  # 1 where an item that keeps its text is printed
    for item in meeting.items:
        if not (item.closed and not item.sections):
            kept[item.start : item.end] = b"\x01" * len(kept[item.start : item.end])
    for item in blank:
        line_end = text.find("\n", item.start, item.end)
        for k in range(line_end + 1 if line_end >= 0 else item.end, min(item.end, len(text))):
            if not kept[k] and not chars[k].isspace():
                chars[k] = " "
    return "".join(chars)
