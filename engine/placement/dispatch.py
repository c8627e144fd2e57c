"""Load a model placed across GPUs, CPU and disk by accelerate (`--device-map`, `--max-memory`).

Order: build on the meta device (shapes, no memory) -> device map (device_map.py) -> pre-flight
estimate, refused in one line when it cannot fit (preflight.py) -> each weight read from the
checkpoint alone and put straight on its device, or written to the offload folder
(lazy_source.py) -> accelerate's dispatch_model attaches the hooks that stream offloaded layers
in, one layer at a time, and move activations between devices.

Afterwards the layers resident on the main device carry no accelerate hook, so the fast decode
step runs them as closures; a streamed layer (or one on another GPU) runs through its module,
where accelerate's hook loads its weights, and where every hook point fires as usual.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import torch

from ..errors import DeviceError, ModelLoadError
from ..recompute import layer_keys
from .device_map import plan_device_map
from .lazy_source import open_checkpoint, stream_plan
from .offload_folder import new_folder, remove_with
from .parse_max_memory import parse_max_memory
from .preflight import Preflight, estimate
from .summary import layer_summary


@dataclass
class Placement:
    """How a loaded model was placed (LoadedModel.placement)."""

    device_map: dict[str, int | str]
    preflight: Preflight
    offload_folder: Path | None
    streamed: bool  # weights went file -> device one tensor at a time (False: through RAM once)
    notes: list[str] = field(default_factory=list)
    rate: float | None = None  # decode tokens per second, once someone measured it

    def layers(self, model) -> dict[str, str]:
        return {k: _dev_name(self.device_map[k]) for k in layer_keys(model)}

    def summary(self, model, rate: float | None = None) -> str:
        """'layers 0–14 cpu · 15–29 disk · 3.1 tok/s' (rate: decode tokens per second, if measured)."""
        return layer_summary(self.layers(model), rate if rate is not None else self.rate)


def _dev_name(d) -> str:
    return f"cuda:{d}" if isinstance(d, int) else str(d)


def _device_of(name: str, dmap: dict):
    while name not in dmap:
        name = name.rpartition(".")[0]
    return dmap[name]


def load_placed(name: str | None = None, device_map: str = "auto", max_memory: str | dict | None = None,
                dtype: str = "float32", offload_folder: str | Path | None = None, tokens: int = 512,
                count_overhead: bool = True):
    """A LoadedModel whose layers accelerate placed; `tokens`: the prompt length the pre-flight
    estimate sizes the KV cache and trace for. Raises DeviceError (one line) when it cannot fit.

    count_overhead: the cpu budget bounds everything the load adds to RAM, so what reading the
    tokenizer and the file's metadata took (measured, when 1 MiB or more) comes off the weights'
    share; False gives accelerate the budget as it is (its own meaning: weights only)."""
    from ..device import pick_dtype
    from ..loading import LoadedModel
    from ..loading.build import finite
    from ..loading.heap import returning_memory
    from ..loading.sources import default_model, resolve
    from ..models import build_model

    budget = parse_max_memory(max_memory) if isinstance(max_memory, (str, type(None))) else dict(max_memory)
    dt = pick_dtype(dtype)
    ref = resolve(name or default_model())
    with returning_memory():
        _small_blocks_mapped()
        _warm_code()
        before = resident_bytes()
        ck = open_checkpoint(ref)
        cfg = ck.cfg
        mask_from_tokenizer(cfg, ck.tokenizer)
        with torch.device("meta"):
            model = build_model(cfg)  # shapes only
        taken = _overhead(budget, before) if count_overhead else 0
        weights_budget = {**budget, "cpu": max(budget["cpu"] - taken, 0)} if taken else budget
        dmap = plan_device_map(model, device_map, weights_budget, dt)
        folder_root = Path(offload_folder) if offload_folder is not None else None
        needs_disk = "disk" in dmap.values()
        pre = estimate(model, dmap, dt, tokens, budget, folder_root or _default_root() if needs_disk else None,
                       overhead=taken)
        refusal = pre.refusal()
        if refusal:
            raise DeviceError(refusal)
        folder = new_folder(folder_root) if needs_disk else None
        plan = stream_plan(ck)
        notes = [f"placed by accelerate ({device_map}): " + layer_summary(
            {k: _dev_name(dmap[k]) for k in layer_keys(model)})]
        if taken:
            notes.append(f"the cpu budget counts the {taken / 2**20:.0f} MiB the tokenizer and the file's metadata took")
        try:
            if plan is not None:
                _stream_weights(model, ck, plan, dmap, dt, folder, finite)
            else:
                notes.append(f"{cfg.architecture}'s converter computes some tensors, so its weights went "
                             "through RAM once before placement")
                model = _through_ram(name, dtype, dmap, folder)
            _finish(model, dmap, folder)
        except torch.OutOfMemoryError:
            raise DeviceError(f"out of memory while placing {ref.name}; lower --max-memory for the GPU") from None
    if folder is not None:
        remove_with(model, folder)
    else:
        pre.trace = _trace_estimate(model, tokens)
    main = torch.device(_dev_name(pre.main))
    card_path = ref.path / "MODEL_CARD.md" if ref.path.is_dir() else None
    card = card_path.read_text(encoding="utf-8") if card_path and card_path.is_file() else None
    lm = LoadedModel(ref.name, ref, cfg, model, ck.tokenizer, main, dt, card,
                     [f"placed: main device {main}"] + notes + cfg.extra.pop("notes", []))
    lm.placement = Placement(dmap, pre, folder, plan is not None, notes)
    return lm


def _warm_code() -> None:
    """Import what a load runs (and torch's meta kernels, ~70 MiB of code on first use) before the
    RAM mark, so the overhead counted in the cpu budget is the model's data, not the program's."""
    import safetensors.torch  # noqa: F401
    import tokenizers  # noqa: F401
    from accelerate import dispatch_model  # noqa: F401

    from ..loading import gguf  # noqa: F401
    from ..loading.registry import load_all
    from ..models import build_model  # noqa: F401
    from ..tokenizers import gguf_tokenizer  # noqa: F401

    load_all()  # every converter module
    with torch.device("meta"):
        torch.nn.Linear(2, 2)(torch.zeros(1, 2))


def resident_bytes() -> int | None:
    """This process's resident memory now (Linux /proc; None elsewhere)."""
    import os

    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _overhead(budget: dict | None, before: int | None) -> int:
    """Bytes the load added to RAM before any weight (tokenizer, metadata), when the cpu has a
    budget and the figure is 1 MiB or more (below that it is noise)."""
    now = resident_bytes()
    if not budget or "cpu" not in budget or before is None or now is None or now - before < 2**20:
        return 0
    return now - before


def _small_blocks_mapped() -> None:
    """Inside returning_memory (which maps blocks of 1 MiB and more): map blocks from 64 KiB, so
    the small K/V matrices freed by fusion and the dequantised norms go back to the system too
    instead of staying in the heap beside the kept weights (glibc only; returning_memory's exit
    sets the threshold back)."""
    import ctypes
    import sys

    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None)
            if hasattr(libc, "mallopt"):
                libc.mallopt(-3, 64 << 10)  # M_MMAP_THRESHOLD
        except OSError:
            pass


def mask_from_tokenizer(cfg, tok) -> None:
    """As engine.loading does: BERT configs rarely name the mask token; the vocabulary does."""
    if cfg.mask_token_id is None:
        cfg.mask_token_id = next((i for i in map(tok.token_to_id, ("[MASK]", "<mask>")) if i is not None), None)


def _default_root() -> Path:
    from .offload_folder import cache_root

    return cache_root()


def _trace_estimate(model, tokens: int) -> int | None:
    """A full capture's bytes at `tokens` (engine.capture_plan: one 3-token run, shapes scaled).
    Measured after loading, and only when no layer is on disk (that run would read them all);
    a meta-device run cannot do it: attention looks at its mask's values."""
    from ..capture_plan import plan, total

    try:
        return total(plan(model, tokens))
    except Exception:  # noqa: BLE001 - a figure we could not get is left out, not guessed
        return None


def _stream_weights(model, ck, plan: dict[str, str], dmap: dict, dt, folder, finite) -> None:
    """Each tensor: read alone, checked, converted to `dt`, put on its device or written to disk."""
    from accelerate.utils import offload_weight, save_offload_index, set_module_tensor_to_device

    expected = model.state_dict(keep_vars=True)
    params = {k for k, _ in model.named_parameters(remove_duplicate=False)}
    missing = [k for k in expected if k in params and k not in plan]
    if missing:
        raise ModelLoadError(f"the checkpoint lacks {len(missing)} tensor(s) the model needs, e.g. {missing[0]!r}")
    _init_buffers(model)
    model.to(dtype=dt)  # the buffers (float32 tables, as instantiate computes them), meta parameters stay meta
    index: dict = {}
    for key in expected:
        if key not in params:
            continue
        want = expected[key]
        t = ck.read(plan[key])
        if tuple(t.shape) != tuple(want.shape):
            raise ModelLoadError(f"tensor {key!r} has shape {tuple(t.shape)}, but the config implies {tuple(want.shape)}")
        if not finite(t):
            raise ModelLoadError(f"tensor {key!r} holds NaN or infinite values; the checkpoint is damaged")
        t = t.to(dt) if t.is_floating_point() else t
        dev = _device_of(key, dmap)
        if dev == "disk":
            offload_weight(t.contiguous(), key, str(folder), index=index)
        else:
            set_module_tensor_to_device(model, key, dev, value=t.contiguous())
        del t
    if index:
        save_offload_index(index, str(folder))
    _buffers_to_devices(model, dmap)


def _init_buffers(model) -> None:
    """Derived tables (RoPE, sinusoidal) computed on the CPU, as engine.loading.build does."""
    for full, b in list(model.named_buffers(remove_duplicate=False)):
        if b.is_meta:
            owner, _, name = full.rpartition(".")
            setattr(model.get_submodule(owner), name, torch.empty_like(b, device="cpu"))
    model.init_buffers()


def _buffers_to_devices(model, dmap: dict) -> None:
    from accelerate.utils import set_module_tensor_to_device

    main = _main(dmap)
    for key, _ in list(model.named_buffers()):
        set_module_tensor_to_device(model, key, _runs_on(_device_of(key, dmap), main))


def _streamed(dev, main) -> bool:
    """Weights kept off the execution device and brought in per forward (disk; cpu under a GPU)."""
    return dev == "disk" or (dev == "cpu" and main != "cpu")


def _runs_on(dev, main):
    return main if _streamed(dev, main) else dev


def _main(dmap: dict):
    from .device_map import main_device

    return main_device(set(dmap.values()))


def _through_ram(name, dtype: str, dmap: dict, folder):
    """Load the ordinary way on the CPU, then let dispatch_model offload (the disk part is saved
    by accelerate). Fused Q/K/V copies are dropped first in layers that will be streamed."""
    from ..loading import load_model

    model = load_model(name, device="cpu", dtype=dtype).model
    for key, dev in dmap.items():
        if _streamed(dev, _main(dmap)):
            for m in model.get_submodule(key).modules():
                if getattr(m, "fused_weights", None):
                    m.unfuse()
    _offload_disk_from_ram(model, dmap, folder)
    for key, dev in dmap.items():
        if not _streamed(dev, _main(dmap)):
            model.get_submodule(key).to(_dev_name(dev))
    return model


def _offload_disk_from_ram(model, dmap: dict, folder) -> None:
    from accelerate.utils import offload_state_dict, set_module_tensor_to_device

    if folder is None:
        return
    disk = {}
    for key, dev in dmap.items():
        if dev == "disk":
            for n, p in model.get_submodule(key).named_parameters():
                disk[f"{key}.{n}"] = p.detach().contiguous()
    offload_state_dict(str(folder), disk)
    for name in disk:
        set_module_tensor_to_device(model, name, "meta")


def _finish(model, dmap: dict, folder) -> None:
    """Tie, freeze, dispatch, then unhook the layers that need no hook, and fuse what stays resident."""
    from accelerate import dispatch_model
    from accelerate.hooks import remove_hook_from_module

    model.tie_weights()
    model.eval()
    model.requires_grad_(False)
    main = _main(dmap)
    devices = set(dmap.values())
    if len(devices) > 1 or "disk" in devices:
        from .device_map import layer_classes

        # preload: a streamed layer brings in all its weights when it starts, not one leaf at a time
        import logging

        quiet = logging.getLogger("accelerate.big_modeling")  # "some parameters are on the meta device": said by us
        level, _ = quiet.level, quiet.setLevel(logging.ERROR)
        try:
            dispatch_model(model, dmap, main_device=main, offload_dir=str(folder) if folder else None,
                           preload_module_classes=layer_classes(model))
        finally:
            quiet.setLevel(level)
        prev = main
        for key in layer_keys(model):
            dev = dmap[key]
            hook = getattr(model.get_submodule(key), "_hf_hook", None)
            if dev == main and prev == main and hook is not None and not getattr(hook, "offload", False):
                remove_hook_from_module(model.get_submodule(key), recurse=True)  # plain layer: closures in decode
            prev = _runs_on(dev, main)
    for m in model.modules():
        params = list(m.parameters())
        if hasattr(m, "fuse") and params and not any(p.is_meta for p in params):
            m.fuse()  # one matmul for Q/K/V and gate/up where the weights stay resident
