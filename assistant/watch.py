"""Topic watches: "tell me when this topic comes up again".

A watch is a query (and optionally a body).  After each ingest, :func:`refresh` looks at
the agenda items that were not in the index at the watch's last refresh and records those
the query finds with a score at or above ``WATCH_MIN_SCORE`` (the same hybrid retrieval as
``meetings ask``; the threshold was calibrated on a real municipal archive, see
``bench/watch_replay.py`` and docs/BENCHMARKS.md "Topic watch calibration").  A digest
(``meetings digest``, ``GET /api/watch/<name>``, the Atom feed ``/feeds/<name>.xml``) lists
the recorded matches with the answers' own result dicts (citation line, deep link, decision
or recommendation).

Baseline: ``watch add`` marks every item the index holds at that moment as seen, so a
digest shows only what arrived *after* the watch was created; ``--backfill`` instead
records the existing matches at once.

Storage: one JSON file beside the index (``<db>/watches.json``), rewritten atomically
(temporary file + ``os.replace``); a file that cannot be read is reported by name and never
overwritten.

Closed items: matching runs as the operator who sees closed content, and a match records
whether a viewer without the ``closed`` role would also have found it (``public``).  Such a
viewer never sees the other matches, and sees a closed item's match as its title and
"Lukket punkt" only (:meth:`assistant.access.Viewer.result`).

Kept whole: storage, matching and the digest/feed formats are one feature over the same
``Watch``/``Match`` records, each part a few small functions.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from ingest.models import Meeting, slugify

from .access import OPERATOR_WITH_CLOSED, PUBLIC, Viewer
from .answer import result_dict
from .links import item_url
from .messages import message, section
from .query import analyze
from .search import Filters, ItemHit, Retriever
from .settings import WATCH_MIN_SCORE
from .tuning import TUNING

WATCH_FILE = "watches.json"
FORMAT_VERSION = 1
NAME_RE = re.compile(r"[\w][\w-]{0,63}")
"""A watch name: letters, digits, '-' and '_' (it is part of URLs: /feeds/<name>.xml)."""
SEARCH_LIMIT = 1000
"""Items asked of one search: every candidate of a date range (the ranges are small)."""
MAX_SEARCHES = 24
"""Searches per watch and refresh at most; beyond, date ranges are widened (backfill)."""

Key = tuple[str, str]
"""An agenda item: (meeting_id, item number)."""

TEXTS = section("watch")
"""Digest, feed and list texts by language (assistant/locales, table [watch]); a match's
outcome line has the cards' wording (:func:`outcome_line`)."""


class WatchError(ValueError):
    """A watch file that cannot be read, or a watch that cannot be added/removed; the
    message names the file or the watch."""


@dataclass
class Match:
    """One item a watch found after it was added: when, how well, and the item as the
    answers cite it (``answer.result_dict``), as the operator saw it."""

    meeting_id: str
    item_number: str
    found: str
    score: float
    public: bool
    """True when a viewer without the ``closed`` role finds it too."""
    result: dict[str, Any]

    @property
    def key(self) -> Key:
        return (self.meeting_id, self.item_number)


@dataclass
class Watch:
    name: str
    query: str
    body: str | None
    created: str
    refreshed: str | None = None
    seen: dict[str, list[str]] = field(default_factory=dict)
    """Item numbers per meeting id that were in the index at the last refresh."""
    matches: list[Match] = field(default_factory=list)

    def visible(self, viewer: Viewer, language: str = "da") -> list[Match]:
        """The matches ``viewer`` may see, newest first, each result as that viewer may
        see it (a closed item: title and "Lukket punkt", no passage, no highlight)."""
        shown: list[Match] = []
        for m in sorted(self.matches, key=lambda m: (m.found, m.score), reverse=True):
            if not (m.public or viewer.sees_closed):
                continue
            result = viewer.result(m.result, language)
            if result.get("item", {}).get("closed") and not viewer.sees_closed:
                result["url"] = item_url(m.meeting_id, m.item_number)
            shown.append(Match(m.meeting_id, m.item_number, m.found, m.score, m.public, result))
        return shown

    def summary(self, viewer: Viewer) -> dict[str, Any]:
        """Name, query, body, created time and the count/time of the matches ``viewer``
        may see (``GET /api/watch``, ``meetings watch list``)."""
        visible = self.visible(viewer)
        return {"name": self.name, "query": self.query, "body": self.body,
                "created": self.created, "refreshed": self.refreshed,
                "matches": len(visible), "latest": visible[0].found if visible else None}

    def as_dict(self, viewer: Viewer, since: str | None = None,
                language: str = "da") -> dict[str, Any]:
        """The watch with the matches ``viewer`` may see, found on/after ``since``."""
        matches = [m for m in self.visible(viewer, language) if found_since(m.found, since)]
        return {**self.summary(viewer), "matches": len(matches),
                "items": [{"found": m.found, "score": round(m.score, 4), **m.result}
                          for m in matches]}


def now() -> str:
    """The current time, UTC, as stored (RFC 3339, seconds)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def found_since(found: str, since: str | None) -> bool:
    """True when a match found at ``found`` (RFC 3339) is on/after the date ``since``."""
    return not since or found[:10] >= since


def watch_name(name: str | None, query: str) -> str:
    """The given name (checked), or one made from the query ('Lokalplan 12' -> 'lokalplan-12')."""
    chosen = (name or "").strip() or slugify(query)[:64]
    if not NAME_RE.fullmatch(chosen):
        raise WatchError(f"watch name {chosen!r}: use letters, digits, '-' or '_' "
                         "(at most 64), e.g. --name klima")
    return chosen


def item_keys(meetings: Iterable[Meeting]) -> dict[str, list[str]]:
    """Every item of ``meetings``: item numbers per meeting id."""
    return {m.meeting_id: [i.number for i in m.items] for m in meetings}


# --- the file ---------------------------------------------------------------------------


class WatchStore:
    """The watches of one index, in ``<db>/watches.json``.  Every change reads the file,
    changes it and writes it back atomically under one lock (one process owns the index)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lock = threading.RLock()

    @classmethod
    def beside(cls, db_dir: Path) -> WatchStore:
        return cls(Path(db_dir) / WATCH_FILE)

    def load(self) -> dict[str, Watch]:
        """Every watch; {} when the file does not exist.  A file that is not a watch file
        raises :class:`WatchError` naming it (and is left as it is)."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            raise WatchError(f"watch file {self.path}: cannot be read ({exc})") from None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise self._corrupt(f"not valid JSON ({exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("watches"), dict):
            raise self._corrupt("expected an object with a 'watches' object")
        watches: dict[str, Watch] = {}
        for name, entry in data["watches"].items():
            try:
                watches[name] = _watch_from_dict(name, entry)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise self._corrupt(f"watch {name!r} is malformed ({exc!r})") from None
        return watches

    def _corrupt(self, why: str) -> WatchError:
        return WatchError(f"watch file {self.path} is corrupt: {why}; nothing was changed - "
                          "repair the file or move it aside (it holds every watch)")

    def save(self, watches: Mapping[str, Watch]) -> None:
        """Write all watches: a temporary file in the same folder, then ``os.replace``, so
        a crash leaves the old file or the new one, never half of one."""
        payload = {"version": FORMAT_VERSION,
                   "watches": {n: _watch_to_dict(w) for n, w in watches.items()}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".watches-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, name: str) -> Watch:
        watch = self.load().get(name)
        if watch is None:
            raise WatchError(f"no watch named {name!r} in {self.path}")
        return watch

    def add(self, name: str, query: str, body: str | None,
            baseline: Mapping[str, Sequence[str]]) -> Watch:
        """A new watch that has seen ``baseline`` (the index's items now; {} to record
        every existing match at the next refresh: ``--backfill``)."""
        with self.lock:
            watches = self.load()
            if name in watches:
                raise WatchError(f"a watch named {name!r} exists already (query "
                                 f"{watches[name].query!r}); remove it first or pick --name")
            watch = Watch(name, query, body, now(), None,
                          {k: list(v) for k, v in baseline.items()})
            watches[name] = watch
            self.save(watches)
            return watch

    def remove(self, name: str) -> Watch:
        with self.lock:
            watches = self.load()
            if name not in watches:
                raise WatchError(f"no watch named {name!r} in {self.path}")
            watch = watches.pop(name)
            self.save(watches)
            return watch

    def refresh(self, retriever: Retriever, threshold: float = WATCH_MIN_SCORE
                ) -> dict[str, list[Match]]:
        """Record, for every watch, the items new since its last refresh that it matches;
        returns the new matches per watch name ({} when there are no watches)."""
        with self.lock:
            watches = self.load()
            if not watches:
                return {}
            current = item_keys(retriever.meetings.values())
            counts = chunks_per_date(retriever)
            stamp = now()
            added: dict[str, list[Match]] = {}
            for watch in watches.values():
                seen = {mid: set(numbers) for mid, numbers in watch.seen.items()}
                new = {(mid, n) for mid, numbers in current.items() for n in numbers
                       if n not in seen.get(mid, ())}
                found = find_matches(retriever, watch.query, watch.body, new, threshold,
                                     counts) if new else []
                added[watch.name] = [Match(h.meeting.meeting_id, h.item.number, stamp,
                                           h.score, public, _snapshot(h)) for h, public in found]
                watch.matches.extend(added[watch.name])
                for mid, numbers in current.items():
                    watch.seen[mid] = sorted(seen.get(mid, set()) | set(numbers))
                watch.refreshed = stamp
            self.save(watches)
            return added


def _watch_to_dict(watch: Watch) -> dict[str, Any]:
    data = asdict(watch)
    data.pop("name")
    return data


def _watch_from_dict(name: str, entry: Mapping[str, Any]) -> Watch:
    if not NAME_RE.fullmatch(name) or not isinstance(entry["query"], str):
        raise ValueError("bad name or query")
    matches = [Match(str(m["meeting_id"]), str(m["item_number"]), str(m["found"]),
                     float(m["score"]), bool(m["public"]), dict(m["result"]))
               for m in entry.get("matches", [])]
    seen = {str(k): [str(n) for n in v] for k, v in dict(entry.get("seen", {})).items()}
    body = entry.get("body")
    return Watch(name, entry["query"], str(body) if body else None, str(entry["created"]),
                 entry.get("refreshed"), seen, matches)


def _snapshot(hit: ItemHit) -> dict[str, Any]:
    """The answers' result dict of a hit, with its best passage only (the file stays small)."""
    result = result_dict(0, hit)
    result["text"] = hit.best.text
    return result


# --- matching ---------------------------------------------------------------------------


def chunks_per_date(retriever: Retriever) -> Counter[str]:
    """Loaded chunks per meeting date ('' for undated meetings)."""
    return Counter(str(meta.get("date") or "") for meta in retriever.chunk_meta.values())


def date_ranges(new_dates: Iterable[str], counts: Mapping[str, int],
                budget: int | None = None) -> list[tuple[str, str]]:
    """Date ranges covering ``new_dates``, each holding at most ``budget`` chunks unless one
    date alone holds more: within such a range every chunk is a dense candidate of a
    search, so an item that scores above the threshold cannot be crowded out by older,
    better-scoring items of other dates."""
    budget = TUNING.ranking.dense_candidates if budget is None else budget
    wanted = {d for d in new_dates if d}
    ranges: list[tuple[str, str]] = []
    start = end = ""
    total = 0
    for date in sorted(d for d in counts if d):
        if start and total + counts[date] > budget:
            ranges.append((start, end))
            start, total = "", 0
        if not start:
            if date in wanted:
                start = end = date
                total = counts[date]
            continue
        total += counts[date]
        if date in wanted:
            end = date
    if start:
        ranges.append((start, end))
    return ranges


def find_matches(
    retriever: Retriever, query_text: str, body: str | None, new: set[Key],
    threshold: float, counts: Mapping[str, int] | None = None,
) -> list[tuple[ItemHit, bool]]:
    """The items of ``new`` that ``query_text`` finds at or above ``threshold``, best
    first, each with whether a viewer without the closed role finds it too.  Searches are
    limited to the new items' meeting dates (``date_ranges``), at most ``MAX_SEARCHES``."""
    counts = counts if counts is not None else chunks_per_date(retriever)
    dates = {retriever.meetings[mid].date or "" for mid, _ in new if mid in retriever.meetings}
    budget = TUNING.ranking.dense_candidates
    ranges = date_ranges(dates, counts, budget)
    while len(ranges) > MAX_SEARCHES:
        budget *= 2
        ranges = date_ranges(dates, counts, budget)
    filters = [Filters(body=body, date_from=a, date_to=b) for a, b in ranges]
    if "" in dates:  # undated meetings: no date filter can reach them
        filters.append(Filters(body=body))
    query = analyze(query_text, retriever.bodies, retriever.cognates)

    def search(viewer: Viewer) -> dict[Key, ItemHit]:
        found: dict[Key, ItemHit] = {}
        for f in filters:
            for hit in retriever.search(query, f, limit=SEARCH_LIMIT, viewer=viewer):
                key = (hit.meeting.meeting_id, hit.item.number)
                if key in new and hit.score >= threshold and key not in found:
                    found[key] = hit
        return found

    hits = search(OPERATOR_WITH_CLOSED)
    public = search(PUBLIC) if hits and retriever.closed_rows().size else hits
    ranked = sorted(hits.values(), key=lambda h: h.score, reverse=True)
    return [(h, (h.meeting.meeting_id, h.item.number) in public) for h in ranked]


# --- what a digest shows ------------------------------------------------------------------


def outcome_line(result: Mapping[str, Any], language: str = "da") -> str:
    """The decision, or the agenda's "no decision recorded" line with its recommendation
    (the wording of the answer cards)."""
    meeting = result.get("meeting") or {}
    if result.get("item", {}).get("closed") and not (result.get("decision")
                                                     or result.get("proposal")):
        return message("access.closed_note", language)
    if result.get("decision"):
        return f"{message('cards.decision', language)} {_flat(result['decision'])}"
    if meeting.get("doc_type") == "dagsorden":
        if result.get("proposal"):
            return f"{message('cards.agenda_no_decision', language)} {_flat(result['proposal'])}"
        return message("cards.agenda_no_decision_bare", language)
    return message("cards.minutes_no_decision", language)


def count_label(n: int, language: str = "da") -> str:
    """'1 nyt punkt' / '3 nye punkter' ('1 new item' / '3 new items')."""
    t = TEXTS.get(language, TEXTS["da"])
    return t["item"] if n == 1 else t["items"].format(n=n)


def _flat(text: str, limit: int = 300) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + " …"


def format_digest(watches: Sequence[Watch], viewer: Viewer, since: str | None = None,
                  language: str = "da") -> str:
    """``meetings digest``: per watch its new items (newest first), each with the citation
    line, when it was found, the decision or recommendation and the deep link."""
    t = TEXTS.get(language, TEXTS["da"])
    if not watches:
        return t["none"]
    blocks: list[str] = []
    for watch in watches:
        data = watch.as_dict(viewer, since, language)
        body = t["body"].format(body=watch.body) if watch.body else ""
        lines = [t["heading"].format(name=watch.name, query=watch.query, body=body,
                                     items=count_label(data["matches"], language),
                                     since=t["since"].format(since=since) if since else "")]
        for n, item in enumerate(data["items"], 1):
            found = t["found"].format(found=item["found"][:16].replace("T", " "))
            lines.append(f"[{n}] {item['citation']}  ({found})")
            lines.append(f"    {outcome_line(item, language)}")
            lines.append(f"    {item['url']}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


ATOM_NS = "http://www.w3.org/2005/Atom"


def atom_feed(watch: Watch, viewer: Viewer, base_url: str, language: str = "da") -> bytes:
    """An Atom 1.0 feed of the matches ``viewer`` may see: one entry per item (id: the
    item's absolute link; link: the cited passage; summary: citation and outcome)."""
    base = base_url.rstrip("/") + "/"
    t = TEXTS.get(language, TEXTS["da"])
    matches = watch.visible(viewer, language)
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"xml:lang": language})

    def child(parent: ET.Element, tag: str, text: str | None = None,
              **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = _xml_text(text)
        return element

    self_url = urljoin(base, f"feeds/{quote(watch.name)}.xml")
    child(feed, "id", self_url)
    child(feed, "title", t["feed_title"].format(query=watch.query))
    child(feed, "updated", matches[0].found if matches else watch.created)
    child(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    author = child(feed, "author")
    child(author, "name", "meetings")
    for m in matches:
        result = m.result
        entry = child(feed, "entry")
        child(entry, "id", urljoin(base, item_url(m.meeting_id, m.item_number).lstrip("/")))
        child(entry, "title", str(result.get("citation", "")))
        child(entry, "updated", m.found)
        child(entry, "link", rel="alternate", type="text/html",
              href=urljoin(base, str(result.get("url", "")).lstrip("/")))
        summary = f"{result.get('citation', '')}\n{outcome_line(result, language)}"
        child(entry, "summary", summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Document text without the characters XML 1.0 cannot hold."""
    return _XML_BAD.sub("", text)
