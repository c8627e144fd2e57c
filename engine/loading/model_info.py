"""What a listed model is, and whether it can open — from headers and configs only.

`describe(ref)` gives architecture, family, parameter count, size on disk, quantisation and, for a
model that cannot open, the one-line reason the loader would give: nothing is dequantised and no
weights are read, so `tplay models` and the GUI's model picker can show it before anyone clicks.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import ModelLoadError
from .shard_index import shard_files
from .sources import ModelRef


def describe(ref: ModelRef) -> dict:
    info = {"name": ref.name, "source": ref.kind, "path": str(ref.path)}
    try:
        if is_gguf_path(ref.path):
            describe_gguf_header(ref.path, info)
        elif ref.path.is_dir():
            describe_folder(ref.path, info)
        else:
            raise ModelLoadError(missing(ref) if not ref.path.exists() else f"{ref.path} is not a model")
    except Exception as e:  # a listing never fails because one entry is broken
        info["error"] = str(e).splitlines()[0] if str(e) else type(e).__name__
    if ref.info.get("refusal"):  # what the source knows comes first (e.g. an Ollama adapter)
        info["error"] = ref.info["refusal"]
    return info


def missing(ref: ModelRef) -> str:
    return f"{ref.name}: {ref.path} is missing (deleted, or an interrupted download?)"


def human_size(n: int | None) -> str:
    if n is None:
        return "?"
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def summary(row: dict) -> str:
    """One line for a picker: 'LlamaForCausalLM · Q8_0 · 100.3 KiB · 37.5 k parameters', or why not."""
    parts = [row.get("architecture"), row.get("quantization"),
             human_size(row["size_bytes"]) if "size_bytes" in row else None,
             _count(row["parameters"]) + " parameters" if "parameters" in row else None]
    text = " · ".join(p for p in parts if p)
    if "error" in row:
        return f"cannot open: {row['error']}" + (f" ({text})" if text else "")
    return text


def _count(n: int) -> str:
    for unit, scale in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return str(n)


def is_gguf_path(path: Path) -> bool:
    """A file named *.gguf, or any file starting with the GGUF magic bytes (Ollama and HF blobs)."""
    from .gguf_header import is_gguf

    path = Path(path)
    return path.is_file() and (path.suffix.lower() == ".gguf" or is_gguf(path))


# ---- GGUF ---------------------------------------------------------------------------------------
def describe_gguf_header(path: Path, info: dict) -> None:
    """The checks load_gguf makes before it dequantises, on the header alone. Fills `info` as it
    goes, so a file that cannot open still shows its size, type and architecture."""
    from .gguf_file import config_from_header
    from .gguf_header import read_header, split_refusal

    path = Path(path)
    h = read_header(path)
    info.update(format="gguf", size_bytes=path.stat().st_size, quantization=h.quantization(),
                tensor_types=h.tensor_types(), parameters=h.n_values, architecture=h.architecture,
                gguf_architecture=h.architecture)
    refusal = split_refusal(h)
    if refusal:
        raise ModelLoadError(refusal)
    cfg = config_from_header(h.meta, {t.name: t.type_name for t in h.tensors}, path)  # the gguf helper's checks
    info.update(architecture=cfg.architecture, family=cfg.family)
    _check_gguf_tokenizer(h.meta)


def _check_gguf_tokenizer(meta: dict) -> None:
    """The tokenizer refusals of tokenizer_from_gguf that need no vocabulary built (that takes ~0.2 s)."""
    from ..tokenizers.gguf_tokenizer import BYTE_LEVEL_PRE, KINDS

    kind = meta.get("tokenizer.ggml.model")
    if kind not in KINDS:
        raise ModelLoadError(f"this GGUF's tokenizer kind {kind!r} is not supported; "
                             f"supported: {', '.join(sorted(KINDS))}")
    if not meta.get("tokenizer.ggml.tokens"):
        raise ModelLoadError("this GGUF has no tokenizer vocabulary (tokenizer.ggml.tokens)")
    pre = meta.get("tokenizer.ggml.pre") or "default"
    if kind == "gpt2" and pre not in BYTE_LEVEL_PRE:  # byte-level BPE: the pre-tokenizer must be known
        raise ModelLoadError(f"this GGUF's byte-level tokenizer uses pre-tokenizer {pre!r}, which the "
                             f"playground does not know; known: {', '.join(sorted(BYTE_LEVEL_PRE))}")


# ---- Hugging Face folders -------------------------------------------------------------------------
def describe_folder(folder: Path, info: dict) -> None:
    from .hf_folder import architecture_of, read_config
    from .registry import converter_for

    info.update(format="safetensors", size_bytes=folder_size(folder))
    check_folder_files(folder)
    hf = read_config(folder)
    info["architecture"] = architecture_of(hf, folder)
    try:
        cfg = converter_for(info["architecture"]).make_config(hf)
    except (KeyError, TypeError, ValueError) as e:
        raise ModelLoadError(f"{folder / 'config.json'} is missing or has a bad value: {e}") from None
    info.update(architecture=cfg.architecture, family=cfg.family, parameters=estimate_params(cfg),
                quantization=_folder_dtype(folder))


def folder_size(folder: Path) -> int:
    """Bytes of the folder's files (symlinks followed, as the HF cache's point into blobs/)."""
    total = 0
    for p in folder.iterdir():
        try:
            if p.is_file():
                total += p.stat().st_size
        except OSError:
            pass
    return total


def _folder_dtype(folder: Path) -> str | None:
    """The stored tensor types counted from the safetensors headers ("F32", "BF16×290 F32×1")."""
    import struct
    from collections import Counter

    counts: Counter = Counter()
    for f in sorted(folder.glob("*.safetensors")):
        try:
            with open(f, "rb") as fh:
                (n,) = struct.unpack("<Q", fh.read(8))
                header = json.loads(fh.read(min(n, 100 * 2**20)))
            counts.update(v["dtype"] for k, v in header.items() if k != "__metadata__")
        except (OSError, ValueError, KeyError, TypeError, struct.error):
            return None  # the loader says what is wrong with the file
    if len(counts) == 1:
        return next(iter(counts))
    return " ".join(f"{t}×{n}" for t, n in counts.most_common()) or None


def check_folder_files(folder: Path) -> None:
    """Missing files, without reading a tensor: a dangling symlink (the HF cache after an interrupted
    download) and the refusals of hf_folder.read_tensors. The loader makes the same check first."""
    broken = sorted(p.name for p in folder.iterdir() if p.is_symlink() and not p.exists())
    if broken:
        raise ModelLoadError(f"{folder / broken[0]} points to a missing file (an interrupted download?)")
    if shard_files(folder) is not None:  # listed shards inside the folder and present
        pass
    elif not any(folder.glob("*.safetensors")) and not (folder / "pytorch_model.bin").is_file():
        raise ModelLoadError(f"{folder} has no model.safetensors (or pytorch_model.bin)")


def estimate_params(cfg) -> int:
    """Parameter count from the config (builds the model on the meta device: no memory)."""
    from .meta_build import on_meta

    return on_meta(cfg).n_params()
