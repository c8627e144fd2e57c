"""Build a model from a ModelConfig and our state dict: shapes checked, no random init wasted."""
from __future__ import annotations

import torch

from ..config import ModelConfig
from ..errors import ModelLoadError
from ..models import build_model
from ..models.base import TransformerModel


def instantiate(
    cfg: ModelConfig,
    state: dict[str, torch.Tensor],
    device: str | torch.device = "cpu",
    dtype: torch.dtype = torch.float32,
) -> TransformerModel:
    with torch.device("meta"):
        model = build_model(cfg)  # parameters have shapes but no memory yet
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    if missing:
        raise ModelLoadError(
            f"the checkpoint lacks {len(missing)} tensor(s) the model needs, e.g. {missing[0]!r}"
        )
    for k, want in expected.items():
        got = state[k]
        if tuple(got.shape) != tuple(want.shape):
            raise ModelLoadError(
                f"tensor {k!r} has shape {tuple(got.shape)}, but the config implies {tuple(want.shape)}"
            )
    for k in expected:  # GGUF and other sources too (hf_folder names the checkpoint's tensor first)
        t = state[k]
        if t.is_floating_point() and not bool(torch.isfinite(t).all()):
            raise ModelLoadError(f"tensor {k!r} holds NaN or infinite values; the checkpoint is damaged")
    model.to_empty(device=device)
    model.tie_weights()
    model.init_buffers()
    with torch.no_grad():
        model.load_state_dict({k: state[k] for k in expected}, strict=True)
    model.to(dtype=dtype)
    for m in model.modules():
        if hasattr(m, "fuse"):
            m.fuse()  # one matmul for Q/K/V and for gate/up (parameters become views)
    model.eval()
    model.requires_grad_(False)
    return model
