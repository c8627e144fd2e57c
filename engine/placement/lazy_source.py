"""A checkpoint read one tensor at a time: config, tokenizer, tensor shapes, and a reader per tensor.

Why: a placed model's weights must go from the file straight to their device (or to the offload
folder), never all through RAM first. The converters take a whole dict of tensors; running one
on *meta* tensors (shapes, no data) shows which of our state keys is a checkpoint tensor handed
through unchanged (the output object *is* the input object: renames only, as Llama, Qwen,
Mistral do). Those keys are streamed; a converter that computes a tensor (a transpose, a split)
cannot be streamed, and `stream_plan` says so (the caller then loads through RAM, with a note).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import torch

from ..config import ModelConfig
from ..errors import ModelLoadError


@dataclass
class LazyCheckpoint:
    cfg: ModelConfig
    tokenizer: object
    converter: object
    meta: dict[str, torch.Tensor]  # checkpoint name (Hugging Face) -> meta tensor of its shape and dtype
    read: Callable[[str], torch.Tensor]  # checkpoint name -> the real tensor (CPU)
    notes: list[str] = field(default_factory=list)
    streamable: bool = True  # False: a source step (e.g. a GGUF fix-up) needs the real values


def stream_plan(ck: LazyCheckpoint) -> dict[str, str] | None:
    """Our state key -> checkpoint name, or None when the converter computes some tensor."""
    if not ck.streamable:
        return None
    by_id = {id(t): name for name, t in ck.meta.items()}
    try:
        out = ck.converter.convert(dict(ck.meta), ck.cfg)
    except (RuntimeError, NotImplementedError, ValueError, TypeError):  # it looked at the values
        return None
    plan = {k: by_id.get(id(t)) for k, t in out.items()}
    return None if any(v is None for v in plan.values()) else plan


def open_checkpoint(ref) -> LazyCheckpoint:
    """The source behind a resolved ModelRef, read lazily (GGUF file or Hugging Face folder)."""
    from ..loading.model_info import check_folder_files, is_gguf_path, missing

    if ref.info.get("refusal"):
        raise ModelLoadError(ref.info["refusal"])
    if is_gguf_path(ref.path):
        return _gguf(Path(ref.path))
    if not ref.path.exists():
        raise ModelLoadError(missing(ref))
    if ref.path.is_dir():
        check_folder_files(ref.path)
    return _folder(Path(ref.path))


def _folder(folder: Path) -> LazyCheckpoint:
    from safetensors import safe_open

    from ..loading.generation_file import with_generation_file
    from ..loading.hf_folder import architecture_of, read_config
    from ..loading.registry import converter_for
    from ..loading.shard_index import shard_files
    from ..tokenizers import load_tokenizer

    hf = read_config(folder)
    conv = converter_for(architecture_of(hf, folder))
    hf = with_generation_file(hf, folder, getattr(conv.owner, "GENERATION_KEYS", ()))
    try:
        cfg = conv.make_config(hf)
    except (KeyError, TypeError, ValueError, ZeroDivisionError, OverflowError) as e:
        raise ModelLoadError(f"{folder / 'config.json'} is missing or has a bad value: {e}") from None
    files = shard_files(folder) or sorted(folder.glob("*.safetensors"))
    if not files:
        raise ModelLoadError(f"{folder}: placement (--device-map) reads safetensors only; this folder has none")
    where: dict[str, Path] = {}
    meta: dict[str, torch.Tensor] = {}
    for f in files:
        try:
            with safe_open(str(f), framework="pt") as h:
                for name in h.keys():
                    s = h.get_slice(name)
                    dtype = _SAFE_DTYPES.get(s.get_dtype())
                    if dtype is None:
                        raise ModelLoadError(f"{f.name}: tensor {name!r} has dtype {s.get_dtype()}, not a float or int type")
                    meta[name] = torch.empty(s.get_shape(), dtype=dtype, device="meta")
                    where[name] = f
        except (OSError, ValueError) as e:
            raise ModelLoadError(f"{f} is not a readable safetensors file ({e}); truncated?") from None

    def read(name: str) -> torch.Tensor:
        with safe_open(str(where[name]), framework="pt") as h:  # one tensor copied out of the file map
            return h.get_tensor(name)

    return LazyCheckpoint(cfg, load_tokenizer(folder), conv, meta, read)


_SAFE_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
                "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
                "U8": torch.uint8, "BOOL": torch.bool}


def _gguf(path: Path) -> LazyCheckpoint:
    from collections import Counter

    from ..loading.gguf.loader import architecture_of, check_unknown_tensors
    from ..loading.registry import converter_for
    from ..loading.gguf.reader import Contents, dequantize, read
    from ..loading.gguf_header import read_header, split_refusal
    from ..tokenizers.gguf_tokenizer import tokenizer_from_gguf

    refusal = split_refusal(read_header(path))
    if refusal:
        raise ModelLoadError(refusal)
    meta_kv, reader = read(path)
    c = Contents.of_reader(meta_kv, reader)
    arch = architecture_of(c, path)
    conv = converter_for(arch.hf_architecture)
    hf = arch.hf_config(c)
    check_unknown_tensors(arch, c, path)
    by_hf = {}
    meta: dict[str, torch.Tensor] = {}
    for t in c.reader.tensors:
        if t.name in arch.CONSUMED:
            continue
        name = arch.hf_name(t.name)
        shape = tuple(int(n) for n in reversed(t.shape))  # torch order ([out, in] for a matrix)
        meta[name] = arch.fix_tensor(name, torch.empty(shape, device="meta"), hf)  # float32, as dequantised
        by_hf[name] = t
    try:
        meta, streamable = arch.finish(meta, hf), True
    except (RuntimeError, NotImplementedError, ValueError, TypeError):  # it looked at the values
        streamable = False
    try:
        cfg = conv.make_config(hf)
    except (KeyError, TypeError, ValueError) as e:
        raise ModelLoadError(f"{path.name}: the GGUF metadata has a missing or bad value: {e}") from None
    cfg.extra.update(source="gguf", gguf_name=meta_kv.get("general.name"),
                     quantization=dict(Counter(t.tensor_type.name for t in reader.tensors)))

    def read_one(name: str) -> torch.Tensor:
        return arch.fix_tensor(name, dequantize(by_hf[name]), hf)

    return LazyCheckpoint(cfg, tokenizer_from_gguf(meta_kv, str(path)), conv, meta, read_one,
                          streamable=streamable)
