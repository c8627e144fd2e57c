"""`tplay replay FILE --view NAME --out FILE.png|.svg`: draw one view of a recording, without the model.

The debugger's views are drawn by `tplay render`'s own drawing (render_cmd.draw_view) from the
recorded trace; the lab's charts by a LabWidget that restored the recording's lab session. No
model is loaded: nothing here can run one.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from engine.errors import InputError

from .trace_store import TOKENS

HELP = "render one view of a recording (tplay's .tplayrec file) to PNG or SVG, without the model"

# --view -> the lab widget's attribute that draws it
LAB_REPLAY_VIEWS = {"next-token": "bars", "sampling": "stages", "timeline": "timeline", "beam-tree": "tree",
                    "cross-attention": "translation", "interventions": "ablation", "training": "training"}


def configure(p: argparse.ArgumentParser) -> None:
    from .render_cmd import RENDER_VIEWS

    p.add_argument("recording", metavar="FILE", help="a recording saved with File ▸ Save recording…")
    p.add_argument("--view", required=True, choices=list(RENDER_VIEWS) + list(LAB_REPLAY_VIEWS), help="which view to draw")
    p.add_argument("--layer", type=int, default=0, help="layer (default 0)")
    p.add_argument("--head", type=int, default=0, help="attention head (default 0)")
    p.add_argument("--position", type=int, default=-1, help="token position (default: the last)")
    p.add_argument("--out", required=True, help="FILE.png or FILE.svg")
    p.add_argument("--size", default="1100x700", help="WIDTHxHEIGHT in pixels (default 1100x700)")


def debugger_step(store, view: str, layer: int) -> tuple[str, str]:
    """(widget, step name) for a debugger view of a recorded trace: as `tplay render` chooses,
    from the steps the recording holds instead of the model's config."""
    from .render_cmd import REL_POSITIONAL, RELATIVE_BIAS, RENDER_VIEWS, ROPE_POSITIONAL, find_step

    widget, hook = RENDER_VIEWS[view]
    if view == "positional" and find_step(store.order, "hook_pos_embed") is None:
        for w, h in (("embedding", ROPE_POSITIONAL), ("attention", RELATIVE_BIAS), ("embedding", REL_POSITIONAL)):
            if find_step(store.order, h.format(L=layer)) is not None:
                widget, hook = w, h
                break
    hook = hook.format(L=layer)
    name = find_step(store.order, hook)
    if name is None:
        raise InputError(f"the recording has no {view} step ({hook})")
    return widget, name


def _check(rec, args) -> None:
    from engine.hook_names import layer_of

    store = rec.store
    layers = 1 + max((layer_of(n) for n in store.order if layer_of(n) is not None), default=0)
    positions = len(store.tokens)
    for what, v, n, neg in (("layer", args.layer, layers, False), ("head", args.head, store.n_heads, False),
                            ("position", args.position, positions, True)):
        if not (-n if neg else 0) <= v < n:
            raise InputError(f"{what} {v} is out of range: the recording has {what}s 0–{n - 1}")


def run(args: argparse.Namespace) -> int:
    from .recording import open_recording
    from .render_cmd import draw_view, parse_size

    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".svg"):
        raise InputError(f"--out must end in .png or .svg, not {out.name!r}")
    size = parse_size(args.size)
    rec = open_recording(args.recording)
    _check(rec, args)
    if args.view in LAB_REPLAY_VIEWS:
        _draw_lab(rec, args, out, size)
        print(f"wrote {out} ({args.view}, recording of {rec.model})")
        return 0
    widget, name = debugger_step(rec.store, args.view, args.layer)
    if args.view == "logit-lens" and "lens" not in rec.extra:
        raise InputError("the recording has no logit lens (its model has no output head)")
    draw_view(widget, rec.store, name, args, rec.tokenizer, rec.extra, out, size)
    print(f"wrote {out} ({args.view}, {name if name != TOKENS else 'tokens'}, recording of {rec.model})")
    return 0


def _draw_lab(rec, args, out: Path, size) -> None:
    if rec.lab is None or not (rec.lab.events or rec.lab.sections):
        raise InputError("the recording holds no lab run (generate in the lab before saving the recording)")
    from .offscreen import offscreen_app

    offscreen_app()
    from .lab.lab_widget import LabWidget
    from .lab.render import export_lab_view

    lab = LabWidget()
    try:
        lab.resize(*size)
        rec.lab.sections.pop("debugger", None)
        lab.controller.run.tokenizer = rec.tokenizer
        lab.restore(rec.lab)
        w = getattr(lab, LAB_REPLAY_VIEWS[args.view])
        if args.view == "cross-attention":
            if not w.rows:
                raise InputError("the recording's lab run has no cross-attention (it needs an encoder-decoder model)")
            w.layer.setValue(args.layer)
            w.head.setCurrentIndex(args.head + 1)
        if args.view == "training":
            w.controls.hide()
    except BaseException:
        lab.close()
        lab.deleteLater()
        raise
    export_lab_view(lab, w, out, size)


REPLAY = (configure, run, HELP)
