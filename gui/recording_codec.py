"""The lab's run (LabEvents: step views, beam nodes, cross-attention rows) as JSON plus named
tensors, and back, checked field by field (no Qt).

One encoding, two containers: a lab session keeps the tensors inline in its JSON (InlineTensors,
base64 of the raw bytes, so the numbers come back bit for bit), a recording keeps them as
safetensors tensors (FileTensors). Restored events are the ones the charts drew live, so the
charts are redrawn by the same code path (LabCharts.receive), not by a look-alike.
"""
from __future__ import annotations

import base64

import numpy as np

from engine.errors import InputError

from .lab import session_checks as check
from .lab.lab_calls import LabEvent
from .lab.stats import StageView, StepView
from .lab.tree_model import Node

DTYPES = {"float32": np.float32, "float64": np.float64, "float16": np.float16, "int64": np.int64,
          "int32": np.int32, "bool": np.bool_}


class InlineTensors:
    """Tensors kept in a JSON object: name -> {"dtype", "shape", "b64"} (little-endian bytes)."""

    def __init__(self, d: dict | None = None):
        if d is not None and not isinstance(d, dict):
            raise InputError("tensors must be an object")
        self.d = {} if d is None else d

    def put(self, name: str, x) -> str:
        a = _numpy(x)
        self.d[name] = {"dtype": str(a.dtype), "shape": list(a.shape),
                        "b64": base64.b64encode(a.astype(a.dtype.newbyteorder("<")).tobytes()).decode("ascii")}
        return name

    def get(self, name: str) -> np.ndarray:
        v = self.d.get(name)
        where = f"tensor {name}"
        if v is None:
            raise InputError(f"the session names a tensor '{name}' it does not hold")
        check.fields(v, where, ("dtype", "shape", "b64"))
        dt = DTYPES.get(v["dtype"])
        if dt is None:
            raise InputError(f"{where}: dtype {v['dtype']!r} is not one of {', '.join(DTYPES)}")
        shape = [check.integer(s, f"{where}'s shape") for s in check.listed(v["shape"], f"{where}'s shape")]
        try:
            raw = base64.b64decode(check.text(v["b64"], f"{where}'s data"), validate=True)
        except ValueError:
            raise InputError(f"{where}: its data is not base64") from None
        a = np.frombuffer(raw, dtype=np.dtype(dt).newbyteorder("<"))
        if any(s < 0 for s in shape) or a.size != int(np.prod(shape)):
            raise InputError(f"{where}: {a.size} values do not fill the shape {shape}")
        return a.reshape(shape).astype(dt)  # flat bytes -> the saved shape


class FileTensors:
    """Tensors for (or from) a recording file: name -> torch tensor."""

    def __init__(self, tensors: dict | None = None):
        self.d = {} if tensors is None else tensors

    def put(self, name: str, x) -> str:
        import torch

        self.d[name] = x.detach().cpu() if isinstance(x, torch.Tensor) else torch.from_numpy(np.ascontiguousarray(x))
        return name

    def tensor(self, name: str):
        """The torch tensor as stored (any dtype, bfloat16 included)."""
        t = self.d.get(name)
        if t is None:
            raise InputError(f"the recording names a tensor '{name}' it does not hold")
        return t

    def get(self, name: str) -> np.ndarray:
        return self.tensor(name).float().numpy() if self.tensor(name).is_floating_point() else self.tensor(name).numpy()


def _numpy(x) -> np.ndarray:
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    return np.ascontiguousarray(x)


# --- LabEvent <-> JSON ----------------------------------------------------------------------
def encode_events(events: list[LabEvent], tensors, prefix: str = "lab") -> list[dict]:
    return [_encode_event(ev, i, tensors, prefix) for i, ev in enumerate(events)]


def _encode_event(ev: LabEvent, i: int, tensors, prefix: str) -> dict:
    v = ev.view
    view = {"step": v.step, "strategy": v.strategy,
            "stages": [{"name": s.name, "ids": list(s.ids), "probs": [float(p) for p in s.probs], "kept": s.kept,
                        "removed": float(s.removed), "entropy": float(s.entropy)} for s in v.stages],
            "chosen": v.chosen, "chosen_prob": float(v.chosen_prob),
            "labels": [[int(k), t] for k, t in sorted(v.labels.items())],
            "raw": None if v.raw is None else tensors.put(f"{prefix}.{i}.raw", v.raw),  # [vocab] scores before the chain
            "context": None if v.context is None else [int(t) for t in v.context[0].tolist()]}  # [1, len] -> len
    return {"view": view, "nodes": [n.to_json() for n in ev.nodes], "tokens": [int(t) for t in ev.tokens],
            "done": bool(ev.done), "stop_reason": ev.stop_reason,
            "sequences": None if ev.sequences is None else [[list(ids), float(s)] for ids, s in ev.sequences],
            "cross": None if ev.cross is None else tensors.put(f"{prefix}.{i}.cross", ev.cross),  # [layer, head, src]
            "elapsed_s": float(ev.elapsed_s), "notes": list(ev.notes)}


EVENT_KEYS = ("view", "nodes", "tokens", "done", "stop_reason", "sequences", "cross", "elapsed_s", "notes")
VIEW_KEYS = ("step", "strategy", "stages", "chosen", "chosen_prob", "labels", "raw", "context")
STAGE_KEYS = ("name", "ids", "probs", "kept", "removed", "entropy")


def decode_events(v, tensors) -> list[LabEvent]:
    """Checked LabEvents; InputError naming the first damaged field."""
    return [_decode_event(e, i, tensors) for i, e in enumerate(check.listed(v, "events"))]


def _decode_event(e, i: int, tensors) -> LabEvent:
    import torch

    where = f"event {i}"
    check.fields(e, where, EVENT_KEYS)
    v = check.fields(e["view"], f"{where}'s view", VIEW_KEYS)
    stages = []
    for j, s in enumerate(check.listed(v["stages"], f"{where}'s stages")):
        sw = f"{where} stage {j}"
        check.fields(s, sw, STAGE_KEYS)
        ids = check.token_ids(s["ids"], f"{sw}'s ids")
        probs = np.asarray(check.numbers(s["probs"], f"{sw}'s probs"), np.float64)
        if len(probs) != len(ids):
            raise InputError(f"{sw} has {len(ids)} ids but {len(probs)} probabilities")
        stages.append(StageView(check.text(s["name"], f"{sw}'s name"), ids, probs, check.integer(s["kept"], sw),
                                check.number(s["removed"], sw), check.number(s["entropy"], sw)))
    labels = {}
    for pair in check.listed(v["labels"], f"{where}'s labels"):
        if not isinstance(pair, list) or len(pair) != 2:
            raise InputError(f"{where}'s labels must be [token id, text] pairs")
        labels[check.token_ids([pair[0]], f"{where}'s labels")[0]] = check.text(pair[1], f"{where}'s labels")
    raw = None
    if v["raw"] is not None:
        raw = torch.from_numpy(np.array(tensors.get(check.text(v["raw"], f"{where}'s raw")), np.float32))
        if raw.ndim != 1:
            raise InputError(f"{where}'s raw scores must be one row [vocab], not shape {list(raw.shape)}")
    context = check.optional(v["context"], check.token_ids, f"{where}'s context")
    chosen = check.optional(v["chosen"], check.integer, f"{where}'s chosen token")
    view = StepView(check.integer(v["step"], f"{where}'s step"), check.text(v["strategy"], f"{where}'s strategy"),
                    stages, chosen, check.number(v["chosen_prob"], f"{where}'s chosen_prob"), labels, raw,
                    None if context is None else torch.tensor([context], dtype=torch.long))  # [1, len]
    cross = None
    if e["cross"] is not None:
        cross = np.array(tensors.get(check.text(e["cross"], f"{where}'s cross")), np.float32)
        if cross.ndim != 3:
            raise InputError(f"{where}'s cross-attention must be [layer, head, source], not shape {list(cross.shape)}")
    seqs = None if e["sequences"] is None else check.ranking(e["sequences"])
    return LabEvent(view, [Node(**check.node(n, k)) for k, n in enumerate(check.listed(e["nodes"], f"{where}'s nodes"))],
                    check.token_ids(e["tokens"], f"{where}'s tokens"), check.flag(e["done"], f"{where}'s done"),
                    check.optional(e["stop_reason"], check.text, f"{where}'s stop_reason"), seqs, cross,
                    check.number(e["elapsed_s"], f"{where}'s elapsed_s"), check.texts(e["notes"], f"{where}'s notes"))
