"""`tplay render --view sampling | beam-tree | cross-attention | training`: the lab's views of a
real run, drawn offscreen to PNG or SVG. Generation options are those of `tplay generate`.

No Qt at import time (the CLI imports this for every subcommand); the run happens on the
calling thread (nothing else is running), through the same LiveGeneration the window uses.
"""
from __future__ import annotations

import argparse
from pathlib import Path

GEN_FLAGS = (  # (flag, help) exactly as `tplay generate` names them; processor flags are added from the registry
    ("--strategy", "greedy | sample | beam (default greedy; beam for --view beam-tree)"),
    ("--beams", "beam width (default 4; beam search)"),
    ("--num-return", "sequences to return (default 1; beams or samples)"),
    ("--length-penalty", "beam score = sum log p / length^X (default 1.0)"),
    ("--early-stopping", "beam search: false | true | never (default false)"),
    ("--seed", "random seed for sampling (default 0 here, so renders repeat)"),
    ("--max-new-tokens", "tokens to generate at most (default 20)"),
    ("--min-new-tokens", "no end-of-sequence before this many tokens (default 0)"),
)
TRAIN_STEPS = 150


def add_generation_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("generation (views sampling, beam-tree, cross-attention)")
    from engine.cli.generate_cmd import add_processor_args

    for flag, text in GEN_FLAGS:
        g.add_argument(flag, help=text)
    add_processor_args(g)  # one flag per registered processor, as `tplay generate` has
    g.add_argument("--train-steps", type=int, default=TRAIN_STEPS,
                   help=f"view training: steps, 10 to 100000 (default {TRAIN_STEPS}; no prompt needed)")


def _options(args):
    from engine.cli.generate_cmd import options as generate_options

    ns = argparse.Namespace(**vars(args))
    if ns.strategy is None:
        ns.strategy = "beam" if args.view == "beam-tree" else "greedy"
    if ns.early_stopping is None:
        ns.early_stopping = "false"
    if ns.seed is None:
        ns.seed = "0"
    if ns.strategy == "beam" and ns.num_return is None:
        ns.num_return = ns.beams or "4"  # every final beam ranked in the tree
    ns.events = True
    return generate_options(ns)


def _settings_of(opts):
    from .lab_calls import GenerationSettings

    return GenerationSettings(opts.strategy, opts.processor_values(), opts.num_beams, opts.length_penalty,
                              opts.max_new_tokens, opts.seed or 0)


def _generate(lab, lm, text: str, opts) -> None:
    """Run the whole generation on this thread, feeding the controller as the worker would."""
    ctl = lab.controller
    lab.panel.prompt.setText(text)
    lab.panel.set_settings(_settings_of(opts))
    ctl.set_model(lm, lm.name)
    if not ctl.start():
        from engine.errors import InputError

        raise InputError("could not start the generation")
    ctl.live.opts = opts
    ctl.live.pull(opts.max_new_tokens, ctl.charts.receive, lambda: False)  # as the worker would, on this thread
    ctl.charts.flush()
    drain(ctl.charts.stagger)


def drain(stagger) -> None:
    """Run the charts' staggered draws now: a picture has no later event-loop turns to wait for
    (without this the stages tab was rendered before its charts were drawn, showing only its hint)."""
    from ..offscreen import offscreen_app

    app = offscreen_app()
    for _ in range(10_000):
        if not stagger.pending:
            return
        app.processEvents()


def export_lab_view(lab, w, out: Path, size: tuple[int, int]) -> None:
    """Draw one of the lab's widgets `w` alone at `size` into `out` (PNG/SVG), then destroy the lab
    (`tplay render` and `tplay replay` both end here)."""
    from ..export import export_widget
    from ..offscreen import offscreen_app

    app = offscreen_app()
    try:
        w.setParent(None)
        w.resize(*size)
        w.show()
        drain(lab.controller.stagger)
        w.grab()  # a first paint: pyqtgraph axes measure their labels when painted, then re-lay out
        app.processEvents()
        export_widget(w, out)
    finally:  # destroy the widgets while the application still exists
        lab.close()
        lab.deleteLater()
        app.processEvents()


def _sampling(lab, lm, args, opts):
    _generate(lab, lm, args.text, opts)
    return lab.stages


def _beam_tree(lab, lm, args, opts):
    from engine.errors import InputError

    if opts.strategy != "beam":
        raise InputError("--view beam-tree needs --strategy beam")
    _generate(lab, lm, args.text, opts)
    return lab.tree


def _cross_attention(lab, lm, args, opts):
    from engine.errors import InputError

    if not any(s.cross for s in lm.model.head_stacks):
        raise InputError(f"{lm.name} has no cross-attention: it needs an encoder-decoder (translation) model")
    _generate(lab, lm, args.text, opts)
    tv = lab.translation
    n_layers = lm.model.output_layers
    if not 0 <= args.layer < n_layers:
        raise InputError(f"layer {args.layer} is out of range: {lm.name} has decoder layers 0–{n_layers - 1}")
    if not 0 <= args.head < lm.cfg.n_heads:
        raise InputError(f"head {args.head} is out of range: {lm.name} has heads 0–{lm.cfg.n_heads - 1}")
    tv.layer.setValue(args.layer)
    tv.head.setCurrentIndex(args.head + 1)
    return tv


def _training(lab, lm, args, opts):
    from engine.errors import InputError

    from .training_calls import build_micro
    from .training_view import STEPS

    steps = args.train_steps
    if not STEPS[0] <= steps <= STEPS[1]:
        raise InputError(f"--train-steps must be between {STEPS[0]} and {STEPS[1]}, not {steps}")
    tv = lab.training
    tv.steps.setValue(steps)
    tv.controls.hide()  # a picture has no buttons to press
    run = build_micro(steps, callbacks=[tv.show_report])
    tv.show_report(run)
    result = run.trainer.run()
    tv.show_result((run, result))
    return tv


# view -> (draw function, needs a model and a prompt; the training view takes neither)
LAB_VIEWS = {
    "sampling": (_sampling, True),
    "beam-tree": (_beam_tree, True),
    "cross-attention": (_cross_attention, True),
    "training": (_training, False),
}


def render(args, out: Path, size: tuple[int, int]) -> int:
    from engine.cli.common import load, read_prompt, require_prompt

    fn, needs_model = LAB_VIEWS[args.view]
    if needs_model:
        require_prompt(args, f"--view {args.view}")
    lm = load(args) if needs_model else None
    opts = _options(args) if needs_model else None
    args.text = read_prompt(args) if needs_model else ""
    from ..offscreen import offscreen_app

    offscreen_app()
    from .lab_widget import LabWidget

    lab = LabWidget()
    try:
        lab.resize(*size)
        w = fn(lab, lm, args, opts)
    except BaseException:
        lab.close()
        lab.deleteLater()
        raise
    export_lab_view(lab, w, out, size)
    print(f"wrote {out} ({args.view}{', ' + lm.name if lm else ''})")
    return 0
