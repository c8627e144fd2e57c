"""Named parts of a lab session beyond the run itself: the head interventions and the training
charts here, the debugger's place in gui/debugger_place.py (registered by install_lab).

A section is registered on the LabWidget by name (`lab.sections[name] = section`) and has three
methods: save() -> JSON object, check(d) raising InputError when `d` does not fit (nothing has
changed yet), restore(d) after every section has passed check. A section a file names that no
one registered is refused by name, unless it is one of KNOWN (the debugger's, in a lab without a
window), which is then skipped.
"""
from __future__ import annotations

import numpy as np

from engine.errors import InputError

from . import session_checks as check
from ..i18n import N_, tr

KNOWN = ("ablation", "training", "debugger")


class AblationSection:
    """The interventions tab: module, scale factor, the edited heads and the before/after bars."""

    def __init__(self, panel):
        self.p = panel

    def save(self) -> dict:
        r = self.p.result
        bars = None if r is None else {k: {"ids": [int(i) for i in r[k]["ids"]],
                                           "probs": [float(x) for x in r[k]["probs"]],
                                           "tokens": list(r[k]["tokens"])} for k in ("before", "after")}
        return {"module": self.p.module.currentText(), "factor": float(self.p.factor.value()),
                "modes": [[L, h, m] for (L, h), m in sorted(self.p.modes.items())], "result": bars,
                "after_title": self.p.after.title.text() if r is not None else "",
                "note": self.p.note.text()}

    def check(self, d) -> None:
        from .ablation_panel import CYCLE

        check.fields(d, "ablation", ("module", "factor", "modes", "result", "note"), ("after_title",))
        if self.p.choices and d["module"] not in self.p.choices:
            raise InputError(f"ablation: module {d['module']!r} is not one of this model's "
                             f"({', '.join(self.p.choices)})")
        f = check.number(d["factor"], "ablation factor")
        if not self.p.factor.minimum() <= f <= self.p.factor.maximum():
            raise InputError(f"ablation factor {f:g} is outside {self.p.factor.minimum():g} … {self.p.factor.maximum():g}")
        stack = self.p.choices.get(d["module"])
        for m in check.listed(d["modes"], "ablation modes"):
            if not (isinstance(m, list) and len(m) == 3 and m[2] in CYCLE[1:]):
                raise InputError(f"ablation modes must be [layer, head, one of {', '.join(CYCLE[1:])}]")
            L, h = check.integer(m[0], "ablation layer"), check.integer(m[1], "ablation head")
            heads = self.p.ctl.lm.cfg.n_heads if self.p.ctl.lm is not None else None
            if stack is not None and not (0 <= L < stack.n_layers and 0 <= h < heads):
                raise InputError(f"ablation: layer {L} head {h} is not in this model "
                                 f"({stack.n_layers} layers × {heads} heads)")
        if d["result"] is not None:
            check.fields(d["result"], "ablation result", ("before", "after"))
            for k in ("before", "after"):
                b = check.fields(d["result"][k], f"ablation {k}", ("ids", "probs", "tokens"))
                if not len(check.token_ids(b["ids"], f"ablation {k}")) == len(check.numbers(b["probs"], k)) \
                        == len(check.texts(b["tokens"], k)):
                    raise InputError(f"ablation {k}: ids, probabilities and tokens differ in length")
        check.text(d["note"], "ablation note")
        check.text(d.get("after_title", ""), "ablation after_title")

    def restore(self, d) -> None:
        p = self.p
        if d["module"] in p.choices:
            p.module.setCurrentText(d["module"])  # clears the modes (set below)
        p.factor.setValue(d["factor"])
        for L, h, m in d["modes"]:
            p.set_mode(L, h, m)
        r = d["result"]
        if r is not None:
            p.result = {k: {"ids": r[k]["ids"], "probs": np.asarray(r[k]["probs"], np.float64),
                            "tokens": r[k]["tokens"]} for k in ("before", "after")}
            b, a = p.result["before"], p.result["after"]
            p.before.set_bars(b["tokens"], b["probs"], None, tr("before (no edits)"), b["ids"])
            p.after.set_bars(a["tokens"], a["probs"], None, d.get("after_title") or tr("after"), a["ids"])
        p.note.setText(d["note"])


REPORT_KEYS = ("step", "total", "loss", "accuracy", "lr", "elapsed_s")


class TrainingSection:
    """The training tab: its loss curve, the last snapshot's three heatmaps and its note. The
    trained weights are not kept: a restored run says so and its Save… stays off."""

    RESTORED = N_(" · restored from a session (the weights are not kept: train again to save a model)")

    def __init__(self, view):
        self.v = view

    def save(self) -> dict:
        v = self.v
        hist = [{k: getattr(r, k) for k in REPORT_KEYS} for r in v.history]
        snap = next((r.snapshot for r in reversed(v.history) if r.snapshot is not None), None)
        vocab = v.run.vocab if v.run is not None else getattr(v, "restored_vocab", None)
        s = None
        if snap is not None and vocab is not None:
            s = {"input_ids": list(snap.input_ids), "target_ids": snap.target_ids, "labels": list(snap.labels),
                 "probs": snap.probs.float().tolist(),  # [pos, vocab]
                 "attention": {n: t.float().tolist() for n, t in snap.attention.items()},  # [head, q, k] each
                 "vocab": list(vocab)}
        return {"steps": v.steps.value(), "history": hist, "snapshot": s, "note": v.note.text()}

    def check(self, d) -> None:
        check.fields(d, "training", ("steps", "history", "snapshot", "note"))
        if self.v.running:
            raise InputError("training is running: stop it before opening a session (a session replaces its charts)")
        lo, hi = self.v.steps.minimum(), self.v.steps.maximum()
        if not lo <= check.integer(d["steps"], "training steps") <= hi:
            raise InputError(f"training steps {d['steps']} is outside {lo} … {hi}")
        for i, r in enumerate(check.listed(d["history"], "training history")):
            check.fields(r, f"training report {i}", REPORT_KEYS)
            for k in REPORT_KEYS:
                (check.integer if k in ("step", "total") else check.number)(r[k], f"training report {i}'s {k}")
        s = d["snapshot"]
        if s is not None:
            check.fields(s, "training snapshot", ("input_ids", "target_ids", "labels", "probs", "attention", "vocab"))
            vocab = check.texts(s["vocab"], "training vocab")
            for k in ("input_ids", "labels"):
                if any(t >= len(vocab) for t in check.token_ids(s[k], f"training {k}")):
                    raise InputError(f"training {k}: an id is outside its {len(vocab)}-token vocabulary")
            probs = _matrix(s["probs"], "training probs", 2)
            if probs.shape != (len(s["labels"]), len(vocab)):
                raise InputError(f"training probs must be [{len(s['labels'])}, {len(vocab)}], not {list(probs.shape)}")
            if not isinstance(s["attention"], dict):
                raise InputError("training attention must be an object")
            for n, a in s["attention"].items():
                _matrix(a, f"training attention {n}", 3)
        check.text(d["note"], "training note")

    def restore(self, d) -> None:
        import torch

        from engine.training.loop import Snapshot, StepReport

        from .training_calls import MicroRun

        v = self.v
        v.steps.setValue(d["steps"])
        s = d["snapshot"]
        reports = [StepReport(**r) for r in d["history"]]
        if s is not None and reports:
            reports[-1].snapshot = Snapshot(s["input_ids"], s["target_ids"], s["labels"],
                                            torch.tensor(s["probs"], dtype=torch.float32),
                                            {n: torch.tensor(a, dtype=torch.float32) for n, a in s["attention"].items()})
        v.history, v.result = [], None
        v.curve.setData([], [])
        if s is not None:
            v.show_report(MicroRun(None, None, None, [s["vocab"][t] for t in s["labels"]], s["vocab"]))
        for r in reports:
            v.show_report(r)
        v.run = None  # no weights: nothing to save
        v.restored_vocab = s["vocab"] if s is not None else None
        v.save_btn.setEnabled(False)  # (not running: check() refused a running training)
        note = d["note"]
        v.note.setText(note + ("" if not reports or tr(self.RESTORED) in note else tr(self.RESTORED)))
        if not reports:
            from .training_view import IDLE

            v.placeholder.say(tr(IDLE))


def _matrix(v, where: str, ndim: int) -> np.ndarray:
    """A nested list of numbers of `ndim` dimensions, rectangular and finite."""
    try:
        a = np.asarray(v, dtype=np.float64)
    except (ValueError, TypeError):
        raise InputError(f"{where} must be a rectangular array of numbers") from None
    if a.ndim != ndim or not np.isfinite(a).all():
        raise InputError(f"{where} must be a {ndim}-dimensional array of finite numbers")
    return a


def known_names(sections: dict, saved: dict) -> list[str]:
    """The saved sections to restore (registered ones); InputError for a name nobody knows.
    Needs no model: checked before a session's model is loaded."""
    for name in saved:
        if name not in sections and name not in KNOWN:
            raise InputError(f"the session has a section '{name}' this version does not know")
    return [name for name in saved if name in sections]


def check_all(sections: dict, saved: dict) -> list[str]:
    """Check every saved section against the registered ones; returns the names to restore."""
    todo = known_names(sections, saved)
    for name in todo:
        sections[name].check(saved[name])
    return todo
