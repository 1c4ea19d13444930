"""One catalog of every user-facing text, in Danish and English, keyed by a stable code.

The texts live in ``assistant/locales/<language>.toml`` (one file per language, shipped as
package data); a table is a namespace, so ``[refusal] unknown_body = "..."`` is the code
``refusal.unknown_body``.  Data files rather than a Python dict, so that a translator adds
a language by adding one file and touches no code, and because the loader can check every
file against the Danish one when the module is imported.

Rules, checked at import (a broken catalog stops the program at start with a
:class:`MessageError` naming the file and the code, never later with a wrong text):

* every language has exactly the codes of :data:`DEFAULT_LANGUAGE` (Danish),
* each text names the same ``{parameters}`` in every language, by name only (no
  ``{0}``, ``{a.b}`` or ``{a[0]}``); ``!r`` and format specs are allowed, ``{{`` is a
  literal brace.

:func:`message` raises :class:`MessageError` for an unknown code, a missing parameter or
a parameter the text does not use - in production as in tests, because each is a
programming error that a silent fallback would turn into a wrong sentence shown to a user.
A language the catalog lacks is answered in :data:`DEFAULT_LANGUAGE`, as the UI always did.

Adding a language: copy ``locales/en.toml`` to ``locales/<code>.toml`` and translate the
values (keep the codes and ``{parameters}``); ``tests/test_messages.py`` checks it.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_LANGUAGE = "da"
LOCALES = Path(__file__).with_name("locales")
"""The folder of ``<language>.toml`` files (package data, see pyproject.toml)."""


class MessageError(LookupError):
    """A code, parameter or catalog file that does not fit the catalog's rules."""


def parameters(text: str, where: str = "") -> frozenset[str]:
    """The ``{parameter}`` names a text uses; MessageError for a positional, attribute or
    index field (they would let a parameter reach into objects) or a malformed brace."""
    names: set[str] = set()
    try:
        fields = [(f, spec) for _, f, spec, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        raise MessageError(f"{where}: malformed braces in {text!r} ({exc})") from None
    for name, spec in fields:
        if not name.isidentifier() or "{" in (spec or ""):
            raise MessageError(f"{where}: parameter {{{name}}} must be a plain name")
        names.add(name)
    return frozenset(names)


@dataclass(frozen=True)
class Catalog:
    """Texts by language, then by code (``{"da": {"refusal.unknown_body": ...}}``)."""

    texts: Mapping[str, Mapping[str, str]]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.texts)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.texts[DEFAULT_LANGUAGE])

    def template(self, code: str, language: str = DEFAULT_LANGUAGE) -> str:
        """The unformatted text of ``code`` (``{parameters}`` still in it)."""
        texts = self.texts.get(language, self.texts[DEFAULT_LANGUAGE])
        try:
            return texts[code]
        except KeyError:
            raise MessageError(f"no message {code!r} in the catalog ({LOCALES})") from None

    def message(self, code: str, language: str = DEFAULT_LANGUAGE, **params: Any) -> str:
        """The text of ``code`` in ``language`` with ``params`` filled in."""
        text = self.template(code, language)
        wanted = parameters(text, code)
        missing, unused = wanted - params.keys(), params.keys() - wanted
        if missing or unused:
            raise MessageError(
                f"message {code!r} takes {sorted(wanted)}; missing {sorted(missing)}, "
                f"not used {sorted(unused)}"
            )
        return text.format_map(params)

    def section(self, prefix: str) -> dict[str, dict[str, str]]:
        """The templates of one table by language, codes without the prefix
        (``section("briefing")["en"]["title"]``): the shape of the per-module text dicts
        that ``.format`` their own entries."""
        head = prefix + "."
        found = {
            lang: {c[len(head):]: t for c, t in texts.items() if c.startswith(head)}
            for lang, texts in self.texts.items()
        }
        if not found[DEFAULT_LANGUAGE]:
            raise MessageError(f"no table [{prefix}] in the catalog ({LOCALES})")
        return found


def _flatten(table: Mapping[str, Any], path: str, where: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        code = f"{path}.{key}" if path else key
        if isinstance(value, Mapping):
            out.update(_flatten(value, code, where))
        elif isinstance(value, str):
            out[code] = value
        else:
            raise MessageError(f"{where}: {code} must be text, not {type(value).__name__}")
    return out


def load_catalog(folder: Path = LOCALES) -> Catalog:
    """Read every ``<language>.toml`` in ``folder`` and check it against the Danish file:
    same codes, same parameters (MessageError naming the file and code otherwise)."""
    texts: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            with path.open("rb") as handle:
                texts[path.stem] = _flatten(tomllib.load(handle), "", path)
        except tomllib.TOMLDecodeError as exc:
            raise MessageError(f"{path}: not valid TOML ({exc})") from None
    if DEFAULT_LANGUAGE not in texts:
        raise MessageError(f"{folder}: no {DEFAULT_LANGUAGE}.toml (the default language)")
    reference = texts[DEFAULT_LANGUAGE]
    for lang, own in texts.items():
        where = folder / f"{lang}.toml"
        missing = sorted(reference.keys() - own.keys())
        extra = sorted(own.keys() - reference.keys())
        if missing or extra:
            raise MessageError(f"{where}: codes missing {missing}, not in "
                               f"{DEFAULT_LANGUAGE}.toml {extra}")
        for code, text in own.items():
            if parameters(text, f"{where}: {code}") != parameters(reference[code], code):
                raise MessageError(
                    f"{where}: {code} uses {sorted(parameters(text))}, "
                    f"{DEFAULT_LANGUAGE}.toml uses {sorted(parameters(reference[code]))}"
                )
    ordered = {DEFAULT_LANGUAGE: reference, **texts}
    return Catalog(ordered)


CATALOG = load_catalog()
LANGUAGES = CATALOG.languages


def message(code: str, language: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text of ``code`` in ``language`` (Danish for a language the catalog lacks) with
    ``params`` filled in; MessageError for an unknown code or a missing or unused param."""
    return CATALOG.message(code, language, **params)


def section(prefix: str) -> dict[str, dict[str, str]]:
    """One table's templates by language (see :meth:`Catalog.section`)."""
    return CATALOG.section(prefix)
