"""Load a model by name: bundled, pack, folder, GGUF file, cached repo id, Ollama or LM Studio name."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import torch

from ..config import ModelConfig
from ..device import pick_device, pick_dtype
from ..errors import DeviceError, ModelLoadError
from ..models.base import TransformerModel
from ..tokenizers import TextTokenizer, load_tokenizer
from .build import instantiate
from .sources import ModelRef, available, default_model, resolve


@dataclass
class LoadedModel:
    name: str
    ref: ModelRef
    cfg: ModelConfig
    model: TransformerModel
    tokenizer: TextTokenizer
    device: torch.device
    dtype: torch.dtype
    card: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def family(self) -> str:
        return self.cfg.family

    @property
    def n_params(self) -> int:
        return self.model.n_params()


def _read_source(ref: ModelRef):
    from .model_info import check_folder_files, is_gguf_path, missing

    if ref.info.get("refusal"):  # a source that knows already (e.g. an Ollama model with an adapter)
        raise ModelLoadError(ref.info["refusal"])
    if is_gguf_path(ref.path):  # by magic bytes: Ollama and Hugging Face blobs have no extension
        from .gguf_file import load_gguf
        from .gguf_header import read_header, split_refusal

        refusal = split_refusal(read_header(ref.path))
        if refusal:
            raise ModelLoadError(refusal)
        return load_gguf(ref.path)
    if not ref.path.exists():
        raise ModelLoadError(missing(ref))
    if ref.path.is_dir():
        check_folder_files(ref.path)
    from .hf_folder import load_folder

    cfg, state = load_folder(ref.path)
    return cfg, state, load_tokenizer(ref.path)


def _mask_from_tokenizer(cfg: ModelConfig, tok: TextTokenizer) -> None:
    """BERT configs rarely name the mask token; its vocabulary does ([MASK], or RoBERTa's <mask>)."""
    if cfg.mask_token_id is None:
        cfg.mask_token_id = next(
            (i for i in map(tok.token_to_id, ("[MASK]", "<mask>")) if i is not None), None
        )


def load_model(
    name: str | None = None, device: str = "auto", dtype: str = "float32"
) -> LoadedModel:
    """Resolve, read, convert and build; every failure is a ModelLoadError/DeviceError."""
    ref = resolve(name or default_model())
    dev, why = pick_device(device)
    dt = pick_dtype(dtype)
    from .heap import returning_memory
    from .pool import reusing

    # the load's large temporaries go back to the system as they are freed; its per-tensor
    # buffers are reused from one tensor to the next (pool.py)
    with returning_memory(), reusing():
        cfg, state, tok = _read_source(ref)
        _mask_from_tokenizer(cfg, tok)
        try:
            model = instantiate(cfg, state, dev, dt, consume=True)
        except torch.OutOfMemoryError:
            raise DeviceError(f"out of memory on {dev} while loading {ref.name}; try --device cpu") from None
    card_path = ref.path / "MODEL_CARD.md" if ref.path.is_dir() else None
    card = card_path.read_text(encoding="utf-8") if card_path and card_path.is_file() else None
    notes = [why] + cfg.extra.pop("notes", [])  # the device choice first, then what loading noticed
    return LoadedModel(ref.name, ref, cfg, model, tok, dev, dt, card, notes)


__all__ = ["LoadedModel", "load_model", "available", "resolve", "ModelRef", "ModelLoadError"]
