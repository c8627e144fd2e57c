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
    consume: bool = False,
) -> TransformerModel:
    """consume: empty `state` while building, so the fused copies (Q/K/V, gate/up) replace the
    loaded tensors instead of living beside them (the peak stays near one copy of the weights)."""
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
        if not finite(state[k]):
            raise ModelLoadError(f"tensor {k!r} holds NaN or infinite values; the checkpoint is damaged")
    # the state's tensors become the parameters (no second copy of the weights); only the
    # derived buffers (RoPE, sinusoidal tables) are allocated and computed here
    with torch.no_grad():
        given = {k: _dense(state[k], want) for k, want in expected.items()}
        if consume:
            state.clear()
        model.load_state_dict(given, strict=True, assign=True)
        del given
    for full, b in list(model.named_buffers(remove_duplicate=False)):
        if b.is_meta:
            owner, _, name = full.rpartition(".")
            setattr(model.get_submodule(owner), name, torch.empty_like(b, device="cpu"))
    model.tie_weights()
    model.init_buffers()
    model.to(device=device, dtype=dtype)
    for m in model.modules():
        if hasattr(m, "fuse"):
            m.fuse()  # one matmul for Q/K/V and for gate/up (parameters become views)
    model.eval()
    model.requires_grad_(False)
    return model


def finite(t: torch.Tensor) -> bool:
    """No NaN or infinity: one sum (a single read, no mask in memory); only when the sum
    overflows is every value looked at."""
    if not t.is_floating_point():
        return True
    return bool(torch.isfinite(t.sum())) or bool(torch.isfinite(t).all())  # (a float64 sum would copy t)


def _dense(t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """A parameter must own plain contiguous memory of the model's kind: a transposed view, a
    read-only file map or a tensor that is someone else's storage is copied (once) here."""
    if not t.is_contiguous():
        t = t.contiguous()
    return t if t.dtype == like.dtype or not t.is_floating_point() else t.to(like.dtype)
