"""Who holds a role in a body: a question of that kind needs a passage that states it.

"Who chairs X?" is not answered by a passage that names the role and X somewhere (archives
mention "formandskabet" or "formanden for udvalget" often): the answer must be a sentence
naming X's holder of that role, else the refusal says no passage states it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingest.bodies import BODY_ALIASES
from ingest.danish import split_sentences

from .query import QueryAnalysis
from .tuning import TUNING

if TYPE_CHECKING:
    from .search import ItemHit

# "Who chairs X?" needs a passage that names X's holder of that role, not merely the role
# and X somewhere (archives mention "KKR formandskabet" or "formanden for CDEU" often).
ROLES = {
    "formand": "formand", "chair": "formand", "chairs": "formand", "chairman": "formand",
    "chairperson": "formand", "næstformand": "næstformand", "vice-chair": "næstformand",
    "borgmester": "borgmester", "mayor": "borgmester", "direktør": "direktør",
    "director": "direktør",
}
_WHO_RE = re.compile(r"\b(hvem|who)\b", re.IGNORECASE)


def _role_asked(query: QueryAnalysis) -> tuple[str, str] | None:
    """(role, body) when the question asks who holds a role in a named body."""
    if not _WHO_RE.search(query.text) or len(query.bodies) != 1:
        return None
    body = query.bodies[0]
    # the role must be the body's own: "formand for KKR Midtjylland", "chairs ... KD-Net",
    # not "the director of Erhvervshus Midtjylland invited to KKR Midtjylland"
    asked = re.search(
        rf"\b({'|'.join(map(re.escape, ROLES))})\b([^?.]{{0,45}}?){_alias_re(body)}",
        query.text, re.IGNORECASE,
    )
    if asked is None or re.search(r"\b[A-ZÆØÅ]", asked.group(2)):
        return None
    return ROLES[asked.group(1).lower()], body


def _alias_re(body: str) -> str:
    aliases = [re.escape(a) for a, name in BODY_ALIASES.items() if name == body]
    return "(?:" + "|".join([*aliases, re.escape(body.lower())]) + ")"


def role_evidence(query: QueryAnalysis, hits: list[ItemHit]) -> tuple[int, str] | None:
    """For a who-holds-this-role question: (rank, sentence) of the first of the results
    (the search returns at least ten) that states the role holder; None otherwise."""
    asked = _role_asked(query)
    if asked is None:
        return None
    role, body = asked
    alias = _alias_re(body)
    patterns = [
        rf"\b{role}(?:en)?\b[^.]{{0,12}}\b(?:for|i|of)\b[^.]{{0,40}}{alias}",
        rf"{alias}s?\s+{role}(?:en)?\b",
    ]
    for n, hit in enumerate(hits[:TUNING.refusal.role_evidence_depth], 1):
        for sentence in split_sentences(" ".join([p.text for p in hit.passages])):
            if any(re.search(p, sentence.lower()) for p in patterns):
                return n, sentence
    return None


def unstated_role(
    query: QueryAnalysis, hits: list[ItemHit], evidence: tuple[int, str] | None
) -> tuple[str, str] | None:
    """(role, body) when a who-holds-this-role question about a named body has no passage
    that states it; None when the question is of another kind or the evidence is there."""
    asked = _role_asked(query)
    if asked is None or (evidence or role_evidence(query, hits)) is not None:
        return None
    return asked
