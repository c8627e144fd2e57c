"""Recordings of a run, for replay without the model (no Qt here).

A recording holds everything the views read: every step of the debugger's trace (a long prompt's
layers are recomputed into it first), the tokens, ids and logits, the logit lens and the
attention-grid thumbnails, the tokenizer itself (tokenizer.json text, so token strings and the
tokenizer step-through work), the model card, the debugger's place, and the lab's session with
its events (gui/recording_codec.py). The file is engine.recording's: safetensors + JSON.

`open_recording(path)` gives a Replay whose `store` looks to every view like a live TraceStore
(tours use it: `replay.context(name, head, position)` is what a view's show_step takes).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import InputError

from .debugger_place import DebuggerPlace
from .lab import session_checks as check
from .trace_store import TOKENS, TraceStore

SUFFIX = ".tplayrec"
STEP_KEYS = ("name", "index", "description", "axes", "inputs", "tensor")
STORE_KEYS = ("order", "tokens", "target_tokens", "ids", "target_ids", "offsets", "prompt", "meta",
              "target_stack", "output", "elapsed")


@dataclass
class Replay:
    """A reopened recording: read-only, no model."""

    path: Path
    model: str  # the recorded model's name
    card: str | None
    store: TraceStore
    tokenizer: object  # engine TextTokenizer rebuilt from the recorded tokenizer.json
    extra: dict = field(default_factory=dict)  # "lens", "thumbs" as engine_calls returned them
    lab: object = None  # gui.lab.session_file.LabSession, or None
    place: DebuggerPlace = field(default_factory=DebuggerPlace)
    created: str = ""

    @property
    def name(self) -> str:
        return self.path.name

    def context(self, name: str | None = None, head: int | None = None, position: int | None = None):
        """A StepContext for a view's show_step (defaults: the recorded place)."""
        from .views.base import StepContext

        step = name or (self.place.step if self.store.has(self.place.step or "") else TOKENS)
        return StepContext(self.store, step, self.place.head if head is None else head,
                           self.place.position if position is None else position, self.tokenizer, self.extra)


# --- building (worker thread: it may run the model) -----------------------------------------------
def build(lm, store: TraceStore, extra: dict, place: DebuggerPlace, lab_session=None, cancel=lambda: False):
    """(meta, tensors) for engine.recording.write: the store made complete, the extras computed."""
    from . import engine_calls
    from .recording_codec import FileTensors

    if store is None:
        raise InputError("nothing to record yet: run a prompt first")
    steps = dict(store.steps)
    for key in dict.fromkeys(store.missing_layer(n) for n in store.order if not store.has(n)):
        if key is not None:  # a long prompt's layer that is not held: recompute it into the recording
            steps.update({s.name: s for s in engine_calls.capture_layer(lm, store, key, cancel)})
    extra = dict(extra)
    for what, fn in (("lens", engine_calls.logit_lens), ("thumbs", engine_calls.thumbnails)):
        if what not in extra or f"{what} progress" in extra:
            try:
                extra[what] = fn(lm, store, cancel)
            except Exception:  # noqa: BLE001 - a model without a head has no lens: its view says so, as live
                extra.pop(what, None)
    extra = {k: v for k, v in extra.items() if k in ("lens", "thumbs")}
    t = FileTensors()
    meta = {"model": lm.name, "card": lm.card, "created": time.strftime("%Y-%m-%d %H:%M:%S"),
            "tokenizer": _tokenizer_json(lm.tokenizer), "place": place.values(),
            "store": _store_json(store, t), "steps": [_step_json(steps[n], t) for n in store.order if n in steps],
            "extra": _extra_json(extra, t),
            "lab": None if lab_session is None else lab_session.to_parts(t)}
    return meta, t.d


def _tokenizer_json(tok) -> dict:
    try:
        main = tok.tok.to_str()
        target = tok.target_tok.to_str() if getattr(tok, "target_tok", None) is not None else None
    except Exception as e:  # noqa: BLE001 - a tokenizer the library cannot write out
        raise InputError(f"this model's tokenizer cannot be stored in a recording ({e})") from None
    return {"json": main, "target": target, "cleanup": bool(getattr(tok, "cleanup", False)),
            "piece_scores": getattr(tok, "piece_scores", None), "source": getattr(tok, "source", "")}


def _store_json(store: TraceStore, t) -> dict:
    return {"order": list(store.order), "tokens": list(store.tokens), "target_tokens": store.target_tokens,
            "ids": list(store.ids), "target_ids": store.target_ids, "offsets": [list(o) for o in store.offsets],
            "prompt": store.prompt, "meta": store.meta, "target_stack": store.target_stack,
            "output": None if store.output is None else t.put("output", store.output), "elapsed": store.elapsed}


def _step_json(s, t) -> dict:
    return {"name": s.name, "index": s.index, "description": s.description, "axes": list(s.axes),
            "inputs": list(s.inputs), "tensor": t.put(f"step/{s.name}", s.tensor)}


def _extra_json(extra: dict, t) -> dict:
    out = {}
    lens = extra.get("lens")
    if lens is not None:
        out["lens"] = {"names": list(lens["names"]), "tokens": lens["tokens"], "positions": list(lens["positions"]),
                       "done": lens["done"], "probs": t.put("extra/lens.probs", lens["probs"])}  # [layer, pos, k]
    thumbs = extra.get("thumbs")
    if thumbs is not None:
        out["thumbs"] = [[n, t.put(f"extra/thumb/{n}", a)] for n, a in thumbs]  # each [head, s, s]
    return out


def estimate(meta: dict, tensors: dict) -> int:
    from engine.recording import estimate_bytes

    return estimate_bytes(meta, tensors)


def save(path, meta: dict, tensors: dict) -> Path:
    from engine.recording import write

    path = Path(path)
    if path.suffix != SUFFIX:
        raise InputError(f"a recording's name must end in {SUFFIX}, not {path.name!r}")
    return write(path, meta, tensors)


# --- reopening ----------------------------------------------------------------------------------
def open_recording(path) -> Replay:
    """Read a recording; InputError naming the file for any damage (nothing of the app changes)."""
    from engine.recording import read

    path = Path(path)
    rec = read(path)
    try:
        return _replay(path, rec)
    except InputError as e:
        raise InputError(f"cannot open {path.name}: {e}") from None


def _replay(path: Path, rec) -> Replay:
    from .lab.session_file import LabSession
    from .recording_codec import FileTensors

    m = check.fields(rec.meta, "the recording", ("format", "version", "model", "card", "created", "tokenizer",
                                                 "place", "store", "steps", "extra", "lab"))
    t = FileTensors(rec.tensors)
    store = _store(m["store"], m["steps"], t)
    lab = None if m["lab"] is None else LabSession.from_parts(m["lab"], t)
    return Replay(path, check.text(m["model"], "model"), check.optional(m["card"], check.text, "card"), store,
                  _tokenizer(m["tokenizer"]), _extra(m["extra"], t), lab,
                  DebuggerPlace.from_values(_object(m["place"], "place")),
                  check.text(m["created"], "created"))


def _tokenizer(d):
    from tokenizers import Tokenizer

    from engine.tokenizers import TextTokenizer

    check.fields(d, "tokenizer", ("json", "target", "cleanup", "piece_scores", "source"))
    try:
        tok = TextTokenizer(Tokenizer.from_str(check.text(d["json"], "tokenizer")), check.text(d["source"], "source"),
                            check.flag(d["cleanup"], "tokenizer cleanup"))
        if d["target"] is not None:
            tok.target_tok = Tokenizer.from_str(check.text(d["target"], "target tokenizer"))
    except Exception as e:  # noqa: BLE001 - the tokenizers library's own error
        if isinstance(e, InputError):
            raise
        raise InputError(f"its tokenizer does not load ({str(e).splitlines()[0][:100]})") from None
    if d["piece_scores"] is not None:
        if not isinstance(d["piece_scores"], dict):
            raise InputError("the tokenizer's piece scores must be an object")
        tok.piece_scores = {check.text(k, "a piece"): check.number(v, "a piece score") for k, v in d["piece_scores"].items()}
    return tok


def _object(v, where: str) -> dict:
    if not isinstance(v, dict):
        raise InputError(f"{where} must be an object")
    return v


def _store(d, steps, t) -> TraceStore:
    from engine.trace import Step

    check.fields(d, "store", STORE_KEYS)
    order = check.texts(d["order"], "order")
    store = TraceStore(order=order, tokens=check.texts(d["tokens"], "tokens"),
                       target_tokens=check.optional(d["target_tokens"], check.texts, "target tokens"),
                       ids=check.token_ids(d["ids"], "ids"),
                       target_ids=check.optional(d["target_ids"], check.token_ids, "target ids"),
                       offsets=[tuple(check.token_ids(o, "offsets")) for o in check.listed(d["offsets"], "offsets")],
                       prompt=check.text(d["prompt"], "prompt"),
                       meta=_object(d["meta"], "meta"),
                       target_stack=check.optional(d["target_stack"], check.text, "target stack"),
                       elapsed=check.number(d["elapsed"], "elapsed"))
    store.output = None if d["output"] is None else t.tensor(check.text(d["output"], "output"))
    known = set(order)
    for i, s in enumerate(check.listed(steps, "steps")):
        check.fields(s, f"step {i}", STEP_KEYS)
        name = check.text(s["name"], f"step {i}'s name")
        if name not in known:
            raise InputError(f"step {name!r} is not in the recorded order")
        tensor = t.tensor(check.text(s["tensor"], f"step {name}'s tensor"))
        axes = tuple(check.texts(s["axes"], f"step {name}'s axes"))
        if len(axes) != tensor.ndim:
            raise InputError(f"step {name} has axes {list(axes)} but a {tensor.ndim}-dimensional tensor")
        store.steps[name] = Step(check.integer(s["index"], f"step {name}'s index"), name, tensor,
                                 check.text(s["description"], f"step {name}'s description"), axes,
                                 tuple(check.texts(s["inputs"], f"step {name}'s inputs")))
        store.nbytes += tensor.numel() * tensor.element_size()
    missing = [n for n in order if not store.has(n)]
    if missing:
        raise InputError(f"the recording lacks {len(missing)} steps of its own order (first: {missing[0]})")
    return store


def _extra(d, t) -> dict:
    import numpy as np

    check.fields(d, "extra", (), ("lens", "thumbs"))
    out = {}
    if "lens" in d:
        lens = check.fields(d["lens"], "lens", ("names", "tokens", "positions", "done", "probs"))
        probs = np.array(t.get(check.text(lens["probs"], "lens probs")), np.float32)  # [layer, pos, k]
        names = check.texts(lens["names"], "lens names")
        tokens = check.listed(lens["tokens"], "lens tokens")
        if probs.ndim != 3 or probs.shape[0] != len(names) or len(tokens) != len(names):
            raise InputError("the logit lens's names, tokens and probabilities do not match")
        for row in tokens:
            for pos in check.listed(row, "lens tokens"):
                if pos is not None:
                    check.texts(pos, "lens tokens")
        out["lens"] = {"names": names, "tokens": tokens, "probs": probs,
                       "positions": check.token_ids(lens["positions"], "lens positions"),
                       "done": check.integer(lens["done"], "lens done")}
    if "thumbs" in d:
        thumbs = []
        for pair in check.listed(d["thumbs"], "thumbnails"):
            if not isinstance(pair, list) or len(pair) != 2:
                raise InputError("thumbnails must be [hook name, tensor] pairs")
            a = np.array(t.get(check.text(pair[1], "thumbnail")), np.float32)  # [head, s, s]
            if a.ndim != 3:
                raise InputError(f"thumbnail {pair[0]!r} must be [head, rows, cols]")
            thumbs.append((check.text(pair[0], "thumbnail name"), a))
        out["thumbs"] = thumbs
    return out
