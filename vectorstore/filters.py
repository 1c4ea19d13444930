"""A metadata filter in no backend's dialect, and its evaluation over columns in memory.

The layers above build a :class:`MetadataFilter` (equality conditions and inclusive integer
ranges: all a question's filters need); :meth:`vectorstore.store.VectorStore.query`
translates it into its backend's query language (Chroma's ``where``), and a caller that
holds the metadata in memory evaluates it as a numpy mask (:meth:`MetadataFilter.mask`).
Both must select the same chunks: tests/test_properties.py checks them against each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Scalar = str | int | float | bool
"""A metadata value a condition compares with (Chroma's metadata types)."""

Column = tuple[np.ndarray, np.ndarray]
"""(values, present): one metadata key over every loaded chunk (:func:`metadata_column`)."""


@dataclass(frozen=True)
class Equals:
    """The chunk's ``key`` holds ``value`` (a chunk without the key does not match)."""

    key: str
    value: Scalar


@dataclass(frozen=True)
class Between:
    """``low <= key <= high`` on an integer key; a bound of None is open."""

    key: str
    low: int | None = None
    high: int | None = None


Condition = Equals | Between


@dataclass(frozen=True)
class MetadataFilter:
    """Chunks whose metadata meets every condition, in order (an empty filter: all)."""

    conditions: tuple[Condition, ...] = ()

    def mask(self, column: Callable[[str], Column], n: int) -> np.ndarray | None:
        """The ``n`` chunks this filter accepts, as a boolean mask over the columns
        ``column(key)`` gives, or None where a column's type is not the one a condition
        compares with (the backend compares those by its own rules: let it decide)."""
        masks: list[np.ndarray] = []
        for condition in self.conditions:
            values, present = column(condition.key)
            found = _matches(condition, values)
            if found is None:
                return None
            masks.append(found & present)
        return np.logical_and.reduce(masks) if masks else np.ones(n, dtype=bool)


def _matches(condition: Condition, values: np.ndarray) -> np.ndarray | None:
    """Where ``values`` meet ``condition`` (ignoring presence); None when the types differ."""
    kind = values.dtype.kind
    if isinstance(condition, Equals):
        if not _same_kind(kind, condition.value):
            return None
        return np.asarray(values == condition.value, dtype=bool)
    if kind != "f":  # integer metadata is held as float64 (metadata_column)
        return None
    inside = np.ones(values.shape, dtype=bool)
    if condition.low is not None:
        inside &= values >= condition.low
    if condition.high is not None:
        inside &= values <= condition.high
    return inside


def _same_kind(kind: str, value: Scalar) -> bool:
    if isinstance(value, bool):
        return kind == "b"
    if isinstance(value, int | float):
        return kind == "f"
    return kind == "U"


def metadata_column(values: list[Any]) -> Column:
    """Values of one key as a typed numpy array (str, bool, int or float) and a mask of
    the chunks that have the key; mixed types stay Python objects (no condition covers
    them: :meth:`MetadataFilter.mask` declines)."""
    present = np.array([v is not None for v in values], dtype=bool)
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {str}:
        return np.array([v if v is not None else "" for v in values], dtype=str), present
    if kinds == {bool}:
        return np.array([bool(v) for v in values], dtype=bool), present
    if kinds <= {int, float}:
        return np.array([v if v is not None else 0 for v in values], dtype=np.float64), present
    return np.array(values, dtype=object), present
