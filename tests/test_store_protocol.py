"""The storage interface (issue 11): ``vectorstore.Store`` is what every layer above
``vectorstore/`` uses, ``VectorStore`` implements it for the embedded and the server client
alike, and nothing above ``vectorstore/`` touches Chroma's collections, imports chromadb or
spells a filter in Chroma's operators (a filter is a ``vectorstore.filters.MetadataFilter``).

This file is type-checked by the test below (mypy over it), so its annotations are the
structural check: ``store: Store = VectorStore(...)`` must type-check.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest
from typing_extensions import get_protocol_members

from ingest.chunker import CHUNKER_VERSION
from vectorstore import Store
from vectorstore.store import IndexIdentity, Metadata, VectorStore, make_client

REPO = Path(__file__).resolve().parents[1]
ABOVE = ["assistant", "ingest", "web", "bench"]
"""Packages above vectorstore/ (and app.py): they may use only :class:`vectorstore.Store`."""
DIM = 8


def open_store(db: Path | None = None, url: str | None = None) -> Store:
    """A real Chroma index (temporary folder or server) typed as the interface."""
    store: Store = VectorStore(make_client(db, url), IndexIdentity("hash-8", DIM, CHUNKER_VERSION))
    return store


# --- VectorStore implements Store --------------------------------------------------------


def test_vectorstore_satisfies_the_protocol_for_mypy(tmp_path: Path) -> None:
    """mypy accepts this file (its ``store: Store = VectorStore(...)``) and refuses a class
    that lacks one of Store's methods: the check can fail."""
    from mypy import api

    partial = tmp_path / "partial_store.py"
    partial.write_text(textwrap.dedent("""
        from vectorstore import Store

        class Partial:
            def chunk_count(self) -> int:
                return 0

        store: Store = Partial()
    """), encoding="utf-8")
    # the project's cache (warm after `make lint`); a cold one takes minutes
    out, err, status = api.run([str(Path(__file__)), str(partial)])
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1 and errors, (out, err)
    # (mypy's cache may name an earlier run's copy of partial_store.py: same module, text)
    assert all("partial_store.py:8: error:" in line for line in errors), out
    assert '"Partial", variable has type "Store"' in out


def test_every_protocol_member_is_on_vectorstore_with_the_same_parameters(
    tmp_path: Path,
) -> None:
    members = get_protocol_members(Store)
    assert {"query", "get_chunk", "signature", "get_document", "put_document", "check",
            "identity", "local_path"} <= members
    store = open_store(tmp_path / "db")
    for name in sorted(members):
        declared = inspect.getattr_static(Store, name)
        if isinstance(declared, property):  # data: an attribute or property of the store
            assert hasattr(store, name), name
            continue
        implemented = getattr(VectorStore, name, None)
        assert callable(implemented), f"VectorStore lacks {name}"
        assert _parameters(implemented) == _parameters(declared), name


def _parameters(function: object) -> list[tuple[str, object, object]]:
    """Names, kinds and defaults (the annotations differ in spelling; mypy compares them)."""
    assert callable(function)
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


def test_every_protocol_member_is_used_above_vectorstore() -> None:
    """Store lists what the layers above use, nothing more (what they use beyond it, mypy
    refuses: Services.store, Ingestor.store and Retriever.store are typed ``Store``)."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in _above())
    unused = sorted(m for m in get_protocol_members(Store)
                    if not re.search(rf"\.{m}\b", text))
    assert unused == []


@pytest.mark.parametrize("client", ["embedded", "server"])
def test_chunk_ids_unlisted_deletes_and_document_vectors(
    client: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The methods that replaced raw collection calls above vectorstore/, on both clients."""
    if client == "server":
        store = open_store(url=request.getfixturevalue("chroma_url"))
        assert store.local_path is None
    else:
        store = open_store(tmp_path / "db")
        assert store.local_path == tmp_path / "db"
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(5, DIM)).astype(np.float32)
    metas: list[Metadata] = [{"source": s, "doc_hash": h} for s, h in
             [("a", "h1"), ("a", "h1"), ("a", "h2"), ("b", "h1"), ("b", "h1")]]
    store.upsert_chunks([f"c{i}" for i in range(5)], vectors, [f"t{i}" for i in range(5)], metas)
    assert sorted(store.chunk_ids_of("a")) == ["c0", "c1", "c2"]
    assert sorted(store.chunk_ids_of("a", "h1")) == ["c0", "c1"]
    assert store.chunk_ids_of("a", "h9") == [] and store.chunk_ids_of("zz") == []
    assert store.delete_unlisted_chunks("a", {"c1", "c3"}) == 2
    assert store.chunk_ids_of("a") == ["c1"] and sorted(store.chunk_ids_of("b")) == ["c3", "c4"]
    store.put_document("a", "h1", {"title": "A"}, {"meeting_id": "m-a"}, vectors[0],
                       chunk_ids=["c1"])
    store.put_document("b", "h1", {"title": "B"}, {"meeting_id": "m-b"}, vectors[3])
    pairs = sorted(store.all_document_vectors(), key=lambda p: p[0].source)
    assert [(r.source, r.doc_hash, r.payload.get("title"), r.metadata["meeting_id"])
            for r, _ in pairs] == [("a", "h1", "A", "m-a"), ("b", "h1", "B", "m-b")]
    assert pairs[0][0].payload["chunk_ids"] == ["c1"]
    np.testing.assert_allclose(pairs[0][1], vectors[0], rtol=1e-6)
    np.testing.assert_allclose(pairs[1][1], vectors[3], rtol=1e-6)
    assert [r.source for r, _ in pairs] == sorted(r.source for r in store.all_documents())


# --- nothing above vectorstore/ reaches into Chroma ----------------------------------------

OPERATOR = re.compile(r"\$(and|or|not|eq|ne|gt|gte|lt|lte|in|nin|contains|not_contains)")
PENDING: dict[str, set[str]] = {}
"""Scopes (functions, dotted methods) allowed to spell the filter's operators, and why."""
BACKEND_BENCHES = {
    "bench/hnsw_recall.py": "sets and measures the HNSW index's own ef_search on the collection",
}
"""Benchmarks of Chroma itself, which reach its collections on purpose."""


def _above() -> list[Path]:
    files = [p for d in ABOVE for p in sorted((REPO / d).rglob("*.py"))]
    return [*files, REPO / "app.py"]


class ChromaReach(ast.NodeVisitor):
    """``x.chunks.<attr>`` / ``x.documents.<attr>`` (a collection), a ``where=`` or
    ``where_document=`` dict, a ``$and``-style operator, ``import chromadb``."""

    def __init__(self, allowed: set[str]) -> None:
        self.allowed = allowed
        self.seen: set[str] = set()
        self.found: list[tuple[int, str]] = []
        self.scope: list[str] = []

    def _scoped(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    def visit_Attribute(self, node: ast.Attribute) -> None:
        inner = node.value
        if isinstance(inner, ast.Attribute) and inner.attr in ("chunks", "documents"):
            self.found.append((node.lineno, f".{inner.attr}.{node.attr}"))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        for kw in node.keywords:
            if kw.arg in ("where", "where_document") and isinstance(kw.value, ast.Dict):
                self.found.append((node.lineno, f"{kw.arg}={{...}}"))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and OPERATOR.fullmatch(node.value):
            here = ".".join(self.scope)
            if here in self.allowed:
                self.seen.add(here)
            else:
                self.found.append((node.lineno, node.value))

    def visit_Import(self, node: ast.Import) -> None:
        self.found += [(node.lineno, a.name) for a in node.names if a.name.startswith("chromadb")]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if (node.module or "").startswith("chromadb"):
            self.found.append((node.lineno, node.module or ""))


def test_nothing_above_vectorstore_touches_chroma_collections_or_filters() -> None:
    problems: dict[str, list[tuple[int, str]]] = {}
    reaching: set[str] = set()
    for path in _above():
        module = path.relative_to(REPO).as_posix()
        allowed = PENDING.get(module, set())
        finder = ChromaReach(allowed)
        finder.visit(ast.parse(path.read_text(encoding="utf-8")))
        if finder.found and module in BACKEND_BENCHES:
            reaching.add(module)
        elif finder.found:
            problems[module] = finder.found
        assert finder.seen == allowed, f"{module}: stale PENDING entries {allowed - finder.seen}"
    assert problems == {}, "use vectorstore.Store's methods (vectorstore/interface.py)"
    assert reaching == set(BACKEND_BENCHES), "stale BACKEND_BENCHES entries"


def test_the_chroma_scan_finds_what_it_looks_for() -> None:
    source = textwrap.dedent('''
        import chromadb
        from chromadb.config import Settings
        def f(store):
            store.chunks.get(ids=["a"])
            store.documents.delete(ids=["a"])
            store.query(v, 5, where={"body": "x"})
            return {"$and": [{"a": 1}, {"b": {"$gte": 2}}]}
        def g(report):
            return report.documents, report.chunks, store.query(v, 5, None)
    ''')
    finder = ChromaReach(set())
    finder.visit(ast.parse(source))
    assert [line for line, _ in finder.found] == [2, 3, 5, 6, 7, 8, 8]
    allowed = ChromaReach({"f"})
    allowed.visit(ast.parse(source))
    assert [line for line, _ in allowed.found] == [2, 3, 5, 6, 7] and allowed.seen == {"f"}
