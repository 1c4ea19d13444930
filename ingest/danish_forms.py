"""Danish word forms a stemmer does not join: the past tense of strong verbs a question asks
in and the present tense a document writes; adjectives that drop an 'e' when inflected.

A question asks what happened ('Hvilket punkt udgik af dagsordenen?', 'Hvem foreslog ...?',
'Hvornår indgik kommunen aftalen?'); the minutes write it in the present tense or the
infinitive ('punkt 9 udgår', 'Borgmesteren foreslår', 'indgå aftale').  A stemmer cannot
join them: the vowel changes ('gik' / 'går').  This is general Danish grammar (the common
strong and irregular verbs, with any prefix: 'ud-gik', 'fore-slog', 'ved-tog'), not
knowledge of any archive.
"""

from __future__ import annotations

PAST_TO_INFINITIVE: dict[str, str] = {
    "bad": "bede", "bar": "bære", "blev": "blive", "bragte": "bringe", "brød": "bryde",
    "drog": "drage", "fandt": "finde", "fik": "få", "fløj": "flyve", "fulgte": "følge",
    "gav": "give", "gik": "gå", "gjorde": "gøre", "greb": "gribe", "hjalp": "hjælpe",
    "lagde": "lægge", "lod": "lade", "lå": "ligge", "red": "ride", "sad": "sidde",
    "sagde": "sige", "satte": "sætte", "skar": "skære", "skrev": "skrive", "slap": "slippe",
    "slog": "slå", "solgte": "sælge", "stak": "stikke", "stod": "stå", "så": "se",
    "talte": "tælle", "tog": "tage", "traf": "træffe", "trak": "trække", "trådte": "træde",
    "valgte": "vælge", "vandt": "vinde", "var": "være", "vidste": "vide",
}  # fmt: skip
"""Past tense -> infinitive of the strong and irregular verbs a meeting's minutes use."""

_PAST_LONGEST_FIRST = tuple(sorted(PAST_TO_INFINITIVE, key=len, reverse=True))
"""The past forms, longest first: 'gjorde' is tried before a shorter form it ends in."""
_MIN_PREFIX = 2
"""A prefix is at least two letters ('ud', 'af', 'ind', 'fore', 'ved', 'mod', 'til')."""


def present_forms(word: str) -> tuple[str, ...]:
    """The infinitive and present tense of ``word`` when it is the past tense of a strong or
    irregular verb, with or without a prefix ('udgik' -> ('udgå', 'udgår'), 'vedtog' ->
    ('vedtage', 'vedtager'), 'tog' -> ('tage', 'tager')); () for any other word."""
    low = word.lower()
    for past in _PAST_LONGEST_FIRST:
        prefix = low[: len(low) - len(past)]
        if low.endswith(past) and (not prefix or len(prefix) >= _MIN_PREFIX):
            infinitive = prefix + PAST_TO_INFINITIVE[past]
            return infinitive, infinitive + "r"
    return ()


_SYNCOPE_ENDINGS = (("ne", "en"), ("le", "el"), ("re", "er"))
"""An adjective in -en, -el, -er drops its 'e' when inflected: 'åben' / 'åbne', 'gammel' /
'gamle', 'sikker' / 'sikre'."""


def base_forms(word: str) -> tuple[str, ...]:
    """The forms of ``word`` a document may write instead, which no stemmer joins to it:
    a strong verb's infinitive and present ('udgik' -> 'udgå', 'udgår'), an inflected
    adjective's base ('åbne' -> 'åben')."""
    low = word.lower()
    forms = list(present_forms(low))
    for inflected, base in _SYNCOPE_ENDINGS:
        if low.endswith(inflected) and len(low) >= len(inflected) + 2:
            stem = low[: -len(inflected)]
            forms.append(stem + base)
            if stem[-1] not in "aeiouyæøå":  # 'gamle' / 'gammel': the consonant doubles
                forms.append(stem + stem[-1] + base)
    return tuple(forms)
