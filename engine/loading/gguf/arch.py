"""A GGUF architecture entry: metadata -> Hugging Face config dict, tensor names -> Hugging Face
names, and the fixes llama.cpp's converter applied to tensors. Registered by `general.architecture`.

The Hugging Face view is then handed to the same converter a Hugging Face folder goes through
(`hf_architecture`), so the maths is written once. A family that differs from Llama subclasses
`Llama` and overrides only what differs, as llama.cpp's convert_hf_to_gguf.py classes do.
"""
from __future__ import annotations

import re

import torch

from ...errors import ModelLoadError
from .reader import Contents

ARCHITECTURES: dict[str, "GGUFArchitecture"] = {}
# `general.architecture` -> entries that read some of its files instead (chosen by `matches`)
VARIANTS: dict[str, list["GGUFArchitecture"]] = {}


def register(cls):
    """Class decorator: one instance per `general.architecture` string the class names; a class
    with `variant_of` instead reads the files of that architecture its `matches` accepts."""
    for name in cls.names:
        ARCHITECTURES[name] = cls()
    if cls.variant_of:
        VARIANTS.setdefault(cls.variant_of, []).append(cls())
    return cls


def entry_for(c: Contents) -> "GGUFArchitecture | None":
    """The entry that reads this file: a matching variant of its architecture, or the architecture's own."""
    return next((v for v in VARIANTS.get(c.arch, ()) if v.matches(c)), ARCHITECTURES.get(c.arch))


_BLOCK_RE = re.compile(r"blk\.(\d+)\.(\w+)\.(weight|bias)")


def unpermute_rows(w: torch.Tensor, n_heads: int) -> torch.Tensor:
    """Inverse of llama.cpp's `permute`: rows per head go from interleaved pairs back to two halves."""
    half = w.shape[0] // n_heads // 2
    rest = w.shape[1:]
    # [n_heads*2*half, ...] -> [n_heads, half, 2, ...] -> [n_heads, 2, half, ...] -> back
    return w.reshape(n_heads, half, 2, *rest).transpose(1, 2).reshape(w.shape)


class GGUFArchitecture:
    names: tuple[str, ...] = ()  # `general.architecture` values this entry reads
    variant_of: str = ""  # or: the architecture some of whose files this entry reads (see matches)
    hf_architecture: str = ""  # the converter that turns the Hugging Face view into ours
    TOP: dict[str, str] = {}  # GGUF top-level tensor stem -> Hugging Face module name
    BLOCK: dict[str, str] = {}  # GGUF block part -> module under `LAYERS.N.`
    LAYERS = "model.layers"
    CONSUMED: frozenset[str] = frozenset()  # tensors read into the config, not weights
    BIASED: frozenset[str] | None = None  # GGUF parts (block or top) that may carry a bias; None: any

    def matches(self, c: Contents) -> bool:
        """For a variant: whether this file is one of its kind."""
        return False

    def hf_config(self, c: Contents) -> dict:
        raise NotImplementedError

    def hf_name(self, name: str) -> str | None:
        """The Hugging Face name of a GGUF tensor; None for a tensor this architecture does not use."""
        m = _BLOCK_RE.fullmatch(name)
        if m:
            layer, part, kind = m.groups()
            hf = self.BLOCK.get(part) if self._may_have(part, kind) else None
            return f"{self.LAYERS}.{layer}.{hf}.{kind}" if hf else None
        stem, _, kind = name.rpartition(".")
        hf = self.TOP.get(stem) if self._may_have(stem, kind) else None
        return f"{hf}.{kind}" if hf and kind in ("weight", "bias") else None

    def _may_have(self, part: str, kind: str) -> bool:
        """A bias the architecture has no place for is an unknown tensor (refused), not dropped."""
        return kind != "bias" or self.BIASED is None or part in self.BIASED

    def fix_tensor(self, hf_name: str, t: torch.Tensor, hf: dict) -> torch.Tensor:
        """Undo what llama.cpp's converter did to this tensor (permutations, shifts, transposes)."""
        return t

    def finish(self, tensors: dict[str, torch.Tensor], hf: dict) -> dict[str, torch.Tensor]:
        """Last look at the whole Hugging Face state dict (e.g. drop an output copy of the embedding)."""
        return tensors


def same_heads_everywhere(c: Contents, suffix: str, default=None):
    """A per-layer array (some files store head counts per layer) must hold one value."""
    v = c.key(suffix, default)
    if isinstance(v, (list, tuple)):
        if len(set(v)) != 1:
            raise ModelLoadError(
                f"this GGUF has {c.arch}.{suffix} varying by layer ({sorted(set(v))}), which the "
                "playground does not implement"
            )
        v = v[0]
    return v


def rope_scaling(c: Contents) -> dict:
    """Rope parameters beyond the base frequency that the metadata states (linear / yarn)."""
    kind = c.key("rope.scaling.type", "none")
    if kind in ("none", None):
        return {}
    factor = float(c.key("rope.scaling.factor", 1.0))
    if kind == "linear":
        return {"rope_type": "linear", "factor": factor}
    raise ModelLoadError(
        f"this GGUF uses RoPE scaling {kind!r}, which the playground does not implement for GGUF files "
        "(supported: linear, and Llama 3's rope_freqs)"
    )
