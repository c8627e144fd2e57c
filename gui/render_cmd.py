"""`tplay render`: draw one view of a real run to a PNG or SVG file, with no window.

The same view widgets as the debugger draw offscreen, written by the same exporter as the lab's and
the debugger's Export buttons (gui/export.py): PNG is a grab of the widget, SVG is the widget
painted onto a QSvgGenerator (the heatmaps stay exact images inside the SVG), both atomically.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from engine.cli.common import add_model_args, add_prompt_args, encode_prompt, load, read_prompt, require_prompt
from engine.errors import InputError

from .trace_store import TOKENS

HELP = "render one debugger view of a run to PNG or SVG (no window)"

# --view -> (widget in views.registry.VIEWS, hook to show; {L} = --layer)
RENDER_VIEWS = {
    "tokens": ("tokens", TOKENS),
    "embedding": ("embedding", "hook_embed"),
    "positional": ("embedding", "hook_pos_embed"),
    "attention": ("attention", "blocks.{L}.attn.hook_pattern"),
    "qkv": ("qkv", "blocks.{L}.attn.hook_q"),
    "ffn": ("ffn", "blocks.{L}.mlp.hook_post"),
    "logit-lens": ("logit-lens", "hook_logits"),
    "probabilities": ("probabilities", "hook_logits"),
    "class-probs": ("class-probs", "hook_class_probs"),  # a sequence classifier's labels
    "pooled": ("class-probs", "hook_pooled"),
}
ROPE_POSITIONAL = "blocks.{L}.attn.hook_rot_q"  # RoPE has no position vectors: show q rotated
REL_POSITIONAL = "rel_embed.hook_rel_table"  # DeBERTa without absolute positions: its relative table
RELATIVE_BIAS = "blocks.{L}.attn.hook_pos_bias"  # T5: a learned bias per head and query-key offset


def configure(p: argparse.ArgumentParser) -> None:
    add_model_args(p)
    add_prompt_args(p, required=False)  # the training view needs none; the others check
    from .lab.render import LAB_VIEWS, add_generation_args  # the decoding lab's views

    p.add_argument("--view", required=True, choices=list(RENDER_VIEWS) + list(LAB_VIEWS), help="which view to draw")
    p.add_argument("--layer", type=int, default=0, help="layer (default 0)")
    p.add_argument("--head", type=int, default=0, help="attention head (default 0)")
    p.add_argument("--position", type=int, default=-1, help="token position (default: the last)")
    p.add_argument("--out", required=True, help="FILE.png or FILE.svg")
    p.add_argument("--size", default="1100x700", help="WIDTHxHEIGHT in pixels (default 1100x700)")
    add_generation_args(p)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise InputError(f"--size must look like 1100x700, not {text!r}") from None
    if not (100 <= w <= 8000 and 100 <= h <= 8000):
        raise InputError("--size must be between 100x100 and 8000x8000")
    return w, h


def _check_range(what: str, value: int, n: int, model: str, allow_negative: bool = False) -> None:
    lo = -n if allow_negative else 0
    if not lo <= value < n:
        raise InputError(f"{what} {value} is out of range: {model} has {what}s 0–{n - 1}")


def _find(order: list[str], pattern: str) -> str | None:
    """The first step named `pattern` or ending in '.pattern' (encoder before decoder)."""
    return next((n for n in order if n == pattern or n.endswith("." + pattern)), None)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".svg"):
        raise InputError(f"--out must end in .png or .svg, not {out.name!r}")
    width, height = _size(args.size)
    if args.view not in RENDER_VIEWS:  # a decoding-lab view: gui/lab/render.py
        from .lab.render import render as lab_render

        return lab_render(args, out, (width, height))
    require_prompt(args, f"--view {args.view}")
    lm = load(args)
    text = read_prompt(args)
    ids = encode_prompt(lm, text)
    cfg = lm.cfg
    _check_range("layer", args.layer, max(lm.model.stack_layers.values()), lm.name)
    _check_range("head", args.head, cfg.n_heads, lm.name)
    _check_range("position", args.position, len(ids), lm.name + "'s prompt", allow_negative=True)

    from . import engine_calls
    from engine.hook_names import layer_key

    widget_name, hook = RENDER_VIEWS[args.view]
    if args.view == "positional" and cfg.positional == "rope":
        hook = ROPE_POSITIONAL
    elif args.view == "positional" and cfg.rel_pos_buckets:
        widget_name, hook = "attention", RELATIVE_BIAS
    elif args.view == "positional" and cfg.positional == "none" and REL_POSITIONAL in lm.model.hook_points:
        hook = REL_POSITIONAL
    hook = hook.format(L=args.layer)
    never = lambda: False  # noqa: E731 - nothing cancels a command-line render
    store = engine_calls.run_prompt(lm, text, hook, never)
    name = _find(store.order, hook)
    if name is None:
        raise InputError(f"{lm.name} has no {args.view} step ({hook})")
    key = store.missing_layer(name)
    if key:
        store.merge(engine_calls.capture_layer(lm, store, key, never))
    extra = {"lens": engine_calls.logit_lens(lm, store, never)} if args.view == "logit-lens" else {}
    _draw(widget_name, store, name, args, lm.tokenizer, extra, out, (width, height))
    print(f"wrote {out} ({args.view}, {name if name != TOKENS else 'tokens'}"
          f"{', head %d' % args.head if layer_key(name) else ''})")
    return 0


def _draw(widget_name, store, name, args, tokenizer, extra, out: Path, size) -> None:
    from .offscreen import offscreen_app

    app = offscreen_app()
    from .export import export_widget
    from .views.base import StepContext
    from .views.registry import VIEWS

    w = VIEWS[widget_name]()
    try:
        w.resize(*size)
        w.show()
        w.show_step(StepContext(store, name, args.head, args.position, tokenizer, extra))
        app.processEvents()
        export_widget(w, out)  # the debugger's "Export current view…" writes the same way
    finally:  # Python owns the widget: close it and drop it while the application exists
        w.close()
        app.processEvents()
        del w


RENDER = (configure, run, HELP)

# for `tplay replay` (gui/recording_replay.py), which draws a recording's views the same way
draw_view, parse_size, find_step = _draw, _size, _find
