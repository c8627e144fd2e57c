"""Build a model from a ModelConfig and our state dict: shapes checked, no random init wasted, each
parameter allocated once in its final place (fill.py) and the state's tensors copied in one by one."""
from __future__ import annotations

from typing import MutableMapping

import torch

from ..config import ModelConfig
from ..errors import ModelLoadError
from ..models.base import TransformerModel
from .fill import allocate, fill, fuse_on_meta
from .meta_build import on_meta


def check_state(model: TransformerModel, state: MutableMapping[str, torch.Tensor]) -> list[str]:
    """The model's state-dict names, each present in `state` with the shape the config implies."""
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
    return list(expected)


def instantiate(
    cfg: ModelConfig,
    state: MutableMapping[str, torch.Tensor],
    device: str | torch.device = "cpu",
    dtype: torch.dtype = torch.float32,
    consume: bool = False,
) -> TransformerModel:
    """consume: empty `state` while filling, each source let go once copied (the peak stays near
    one copy of the weights). Sources may be any dtype, layout or device, file maps and deferred
    readers (deferred.py) included."""
    model = on_meta(cfg)
    keys = check_state(model, state)
    fused = fuse_on_meta(model)  # Q/K/V and gate/up laid out fused before any memory exists
    if not fused:
        model = on_meta(cfg)
    allocate(model, device, dtype)
    fill(model, state, consume=consume, keys=keys, finite=finite)
    fusable = [m for m in model.modules() if hasattr(m, "fuse")]
    before = [[id(p) for p in m.parameters()] for m in fusable]
    model.tie_weights()
    model.init_buffers()  # derived tables (RoPE, sinusoidal), computed in float32 ...
    _buffers_to(model, device, dtype)  # ... then held as Module.to would hold them
    for m, had in zip(fusable, before):
        if not fused or [id(p) for p in m.parameters()] != had:  # unfused, or tie_weights re-shared its parameters
            m.fuse()  # one matmul for Q/K/V and for gate/up (parameters become views)
    model.eval()
    model.requires_grad_(False)
    return model


def _buffers_to(model: torch.nn.Module, device, dtype: torch.dtype) -> None:
    for m in model.modules():
        for name, b in list(m.named_buffers(recurse=False, remove_duplicate=False)):
            setattr(m, name, b.to(device=device, dtype=dtype if b.is_floating_point() else None))


def finite(t: torch.Tensor) -> bool:
    """No NaN or infinity: one sum (a single read, no mask in memory); only when the sum
    overflows is every value looked at."""
    if not t.is_floating_point():
        return True
    return bool(torch.isfinite(t.sum())) or bool(torch.isfinite(t).all())  # (a float64 sum would copy t)
