"""Who is logged in: the users file (names, password hashes, roles) and the reverse-proxy
header; :mod:`assistant.access` decides what a logged-in user's roles let them see.

The users file (``MEETINGS_USERS``) is JSON, or TOML when its name ends in ``.toml``::

    {"users": {"anna": {"password": "scrypt$16384$8$1$<salt>$<hash>", "roles": ["closed"]},
               "proxy-only": {"roles": ["closed", "admin"]}}}

Passwords are stored only as salted scrypt hashes (``meetings user add`` writes them); a
user without ``password`` can only be let in by the proxy header.  Roles: ``closed``
(sees closed items' content), ``admin`` (may ingest with ``include_closed``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
import threading
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.access import ROLES, Viewer

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_BYTES = 32
SALT_BYTES = 16
HASH_SCHEME = "scrypt"
MAX_NAME = 100
VERIFIED_CACHE = 1024
"""Authorization headers remembered as verified (scrypt costs ~50 ms; a browser sends the
header with every request)."""


class UsersFileError(ValueError):
    """The users file cannot be used; the message names the file and the field."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"users file {path}: {problem}")


# --- password hashes -----------------------------------------------------------------


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash of ``password``: 'scrypt$N$r$p$<salt b64>$<hash b64>'."""
    if not password:
        raise ValueError("the password must not be empty")
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_BYTES)
    return "$".join([HASH_SCHEME, str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
                     _b64(salt), _b64(digest)])


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` matches the hash ``encoded`` (False for a malformed hash)."""
    try:
        n, r, p, salt, digest = _parse_hash(encoded)
    except ValueError:
        return False
    given = _scrypt(password, salt, n, r, p, len(digest))
    return secrets.compare_digest(given, digest)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, size: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=size,
                          maxmem=256 * n * r + 2**20)


def _parse_hash(encoded: str) -> tuple[int, int, int, bytes, bytes]:
    parts = encoded.split("$")
    if len(parts) != 6 or parts[0] != HASH_SCHEME:
        raise ValueError("not a 'scrypt$N$r$p$salt$hash' password hash")
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, digest = base64.b64decode(parts[4], validate=True), base64.b64decode(
            parts[5], validate=True)
    except (ValueError, binascii.Error):
        raise ValueError("not a 'scrypt$N$r$p$salt$hash' password hash") from None
    if n < 2 or n & (n - 1) or not 0 < r <= 64 or not 0 < p <= 16 or not salt or not digest:
        raise ValueError("scrypt parameters out of range")
    return n, r, p, salt, digest


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- the users file ------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    name: str
    password_hash: str | None
    roles: frozenset[str]

    def viewer(self) -> Viewer:
        return Viewer(self.name, self.roles)


def load_users(path: Path) -> dict[str, User]:
    """The users of ``path`` by name; :class:`UsersFileError` names what is wrong."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsersFileError(path, f"cannot read it ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8")) if _is_toml(path) else json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        kind = "TOML" if _is_toml(path) else "JSON"
        raise UsersFileError(path, f"not valid {kind} ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("users", {}), dict):
        raise UsersFileError(path, "expected an object with 'users': {name: {...}}")
    return {name: _user(path, name, entry) for name, entry in data.get("users", {}).items()}


def _user(path: Path, name: Any, entry: Any) -> User:
    where = f"users.{name}"
    check_name(name, lambda problem: UsersFileError(path, f"{where}: {problem}"))
    if not isinstance(entry, dict):
        raise UsersFileError(path, f"{where}: expected an object with 'password' and 'roles'")
    unknown = sorted(set(entry) - {"password", "roles"})
    if unknown:
        raise UsersFileError(path, f"{where}: unknown field(s) {', '.join(unknown)}")
    password = entry.get("password")
    if password is not None:
        if not isinstance(password, str):
            raise UsersFileError(path, f"{where}.password: expected a string")
        try:
            _parse_hash(password)
        except ValueError as exc:
            raise UsersFileError(path, f"{where}.password: {exc} (write it with "
                                 f"`meetings user add`)") from None
    roles = entry.get("roles", [])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise UsersFileError(path, f"{where}.roles: expected a list of role names")
    bad = sorted(set(roles) - set(ROLES))
    if bad:
        raise UsersFileError(path, f"{where}.roles: unknown role(s) {', '.join(bad)} "
                             f"(known: {', '.join(ROLES)})")
    return User(name, password, frozenset(roles))


def check_name(name: Any, error: Any = ValueError) -> str:
    """A user name as the basic-auth login accepts it (no ':' nor control characters)."""
    if not isinstance(name, str) or not name.strip() or name != name.strip():
        raise error("the user name must be a non-empty string without surrounding spaces")
    if ":" in name or len(name) > MAX_NAME or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise error(f"the user name {name!r} must have at most {MAX_NAME} characters and no "
                    "':' or control characters")
    return name


def add_user(path: Path, name: str, password: str | None, roles: Iterable[str]) -> User:
    """Add (or replace) user ``name`` in the users file ``path``, creating it if needed;
    the password is stored only as its hash.  The other users are kept as they are."""
    check_name(name)
    roles = sorted(set(roles))
    bad = sorted(set(roles) - set(ROLES))
    if bad:
        raise ValueError(f"unknown role(s) {', '.join(bad)} (known: {', '.join(ROLES)})")
    users = load_users(path) if path.exists() else {}
    user = User(name, hash_password(password) if password else None, frozenset(roles))
    users[name] = user
    _write(path, users)
    return user


def _write(path: Path, users: Mapping[str, User]) -> None:
    """Write the users file atomically, readable by its owner only."""
    entries = {
        u.name: {**({"password": u.password_hash} if u.password_hash else {}),
                 "roles": sorted(u.roles)}
        for u in users.values()
    }
    text = _toml(entries) if _is_toml(path) else json.dumps(
        {"users": entries}, ensure_ascii=False, indent=2) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _toml(entries: Mapping[str, Mapping[str, Any]]) -> str:
    """The users as TOML (JSON string syntax is valid TOML basic-string syntax)."""
    lines: list[str] = []
    for name, entry in entries.items():
        lines.append(f"[users.{json.dumps(name, ensure_ascii=False)}]")
        for key, value in entry.items():
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        lines.append("")
    return "\n".join(lines)


def _is_toml(path: Path) -> bool:
    return path.suffix.lower() == ".toml"


# --- who is asking -------------------------------------------------------------------


class Authenticator:
    """Turns a request's headers into a :class:`Viewer`, or None (-> 401).

    Three sources, any combination: ``basic`` (``--auth user:pass``: one user with no
    roles), ``users`` (the users file: basic auth against its password hashes, and the
    roles of every user), ``header`` (a reverse proxy's authenticated-user header: the
    user it names, with their roles from the users file).  With none of them every
    request is let in without roles."""

    def __init__(
        self,
        users: Mapping[str, User] | None = None,
        header: str | None = None,
        basic: tuple[str, str] | None = None,
    ) -> None:
        self.users = dict(users) if users is not None else None
        self.header = header.strip().lower() if header and header.strip() else None
        self.basic = f"{basic[0]}:{basic[1]}".encode() if basic else None
        self._verified: dict[bytes, Viewer] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(
        cls, users_file: Path | None, header: str | None, basic: tuple[str, str] | None = None
    ) -> Authenticator:
        return cls(load_users(users_file) if users_file else None, header, basic)

    @property
    def required(self) -> bool:
        """True when requests must say who they are (else everyone is let in, no roles)."""
        return self.users is not None or self.header is not None or self.basic is not None

    @property
    def roles_configured(self) -> bool:
        return self.users is not None

    def identify(self, headers: Mapping[str, str]) -> Viewer | None:
        """The viewer a request's headers (lower-case names) prove, or None."""
        if not self.required:
            return Viewer()
        if self.header is not None:
            name = (headers.get(self.header) or "").strip()
            if name:
                user = (self.users or {}).get(name)
                return user.viewer() if user is not None else Viewer(name)
        return self._basic(headers.get("authorization") or "")

    def _basic(self, header: str) -> Viewer | None:
        raw = header.encode("latin-1", "replace")
        if raw[:6].lower() != b"basic ":
            return None
        with self._lock:
            known = self._verified.get(raw)
        if known is not None:
            return known
        try:
            given = base64.b64decode(raw[6:].strip(), validate=True)
        except (binascii.Error, ValueError):
            return None
        viewer = self._check(given)
        if viewer is not None:
            with self._lock:
                if len(self._verified) >= VERIFIED_CACHE:
                    self._verified.clear()
                self._verified[raw] = viewer
        return viewer

    def _check(self, given: bytes) -> Viewer | None:
        if self.basic is not None and secrets.compare_digest(given, self.basic):
            return Viewer(self.basic.split(b":", 1)[0].decode("utf-8", "replace"))
        name_bytes, sep, password_bytes = given.partition(b":")
        if not sep or self.users is None:
            return None
        try:
            name, password = name_bytes.decode("utf-8"), password_bytes.decode("utf-8")
        except UnicodeDecodeError:
            return None
        user = self.users.get(name)
        if user is None or user.password_hash is None:
            verify_password(password, _dummy_hash())  # the same time as a known name
            return None
        return user.viewer() if verify_password(password, user.password_hash) else None


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(hash_password(secrets.token_hex(8)))
    return _DUMMY[0]


def scope_headers(headers: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """An ASGI scope's raw headers as a dict of lower-case names (first value wins)."""
    out: dict[str, str] = {}
    for key, value in headers:
        out.setdefault(key.decode("latin-1").lower(), value.decode("latin-1"))
    return out
