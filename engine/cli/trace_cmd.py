"""`tplay trace`: run once and list or save every recorded step."""
from __future__ import annotations

from . import command, emit_json
from .common import add_model_args, add_prompt_args, device_info, encode_prompt, load, output_file, read_prompt


def run_prompt(args, lm, capture):
    """Tokenize --prompt (and --target for encoder-decoder) and run once."""
    from ..runner import run

    ids = encode_prompt(lm, read_prompt(args))
    target = None
    if getattr(args, "target", None) is not None:
        from .common import utf8_text

        target = target_ids(lm, utf8_text(args.target, "--target"))
    trace = run(lm.model, ids, target_ids=target, capture=capture)
    trace.tokens = lm.tokenizer.token_strings(ids)
    if target is not None:
        trace.target_tokens = lm.tokenizer.token_strings(target)
    return trace


def planned_trace(args, lm):
    """The ids and tokens of --prompt (and --target) without running them: for a listing that
    comes from the plan. Checked as a run checks them (encode_prompt: vocabulary, context)."""
    import torch

    from ..trace import Trace

    ids = encode_prompt(lm, read_prompt(args))
    trace = Trace(ids=ids, tokens=lm.tokenizer.token_strings(ids))
    if getattr(args, "target", None) is not None:
        from ..runner import check_ids, check_len  # the run's own checks of a target
        from .common import utf8_text

        target = target_ids(lm, utf8_text(args.target, "--target"))
        check_len(len(target), lm.model, "target")
        check_ids(torch.tensor(target), lm.model, "target")
        trace.target_ids, trace.target_tokens = target, lm.tokenizer.token_strings(target)
    return trace


def target_ids(lm, text: str) -> list[int]:
    """Decoder input for teacher forcing: the start token, then the target's tokens."""
    from ..errors import InputError

    if not lm.model.has_encoder:
        raise InputError("--target only applies to encoder-decoder models")
    start = lm.model.decoder_start_ids()
    body = lm.tokenizer.encode_target(text).ids if text else []  # the target side's tokenizer (Marian: target.spm)
    if body and body[-1] == lm.cfg.eos_token_id:
        body = body[:-1]  # the decoder is fed the target without its end token
    return start + body


def check_layers(layers: list[int], lm) -> None:
    """Every asked-for layer exists (encoder-decoder: in the encoder or the decoder)."""
    from ..errors import InputError

    n = max(lm.model.stack_layers.values())
    bad = next((x for x in layers if not 0 <= x < n), None)
    if bad is not None:
        raise InputError(f"layer {bad} is out of range: {lm.name} has layers 0–{n - 1}")


@command("trace", "run the model once and list (or save) every recorded step")
class TraceCmd:
    @staticmethod
    def configure(p):
        add_model_args(p, memory_flag="--device-max-memory")  # its --max-memory bounds the capture
        add_prompt_args(p)
        p.add_argument("--target", help="target text (encoder-decoder: teacher-forced decoder input)")
        p.add_argument("--names", action="append", help="glob of hook names to capture (repeatable)")
        p.add_argument("--layers", help="comma-separated layers to capture (0 to the model's last)")
        p.add_argument("--list", action="store_true", help="list step names, shapes and descriptions")
        p.add_argument("--out",
                       help="save the captured tensors by hook name to FILE.safetensors (missing folders are made)")
        p.add_argument("--max-memory", metavar="SIZE",
                       help="memory the capture may hold (e.g. 512M, 2G; default: 2 GiB or half the free "
                            "memory, whichever is less). Beyond it the layers are recomputed one at a time")

    @staticmethod
    def run(args) -> int:
        from ..errors import InputError
        from ..trace import Capture

        layers = None
        if args.layers:
            try:
                layers = [int(x) for x in args.layers.split(",")]
            except ValueError:
                raise InputError(f"--layers takes comma-separated integers, not {args.layers!r}") from None
        out = output_file(args.out, "--out", ".safetensors") if args.out else None
        budget = memory_budget(args.max_memory)
        lm = load(args)
        if layers:
            check_layers(layers, lm)
        capture = Capture(names=args.names, layers=layers)
        wanted = capture.wanted(lm.model.hook_points)
        if args.names and not wanted:
            raise InputError(f"no hook point matches {', '.join(args.names)}")
        planned = plan_prompt(args, lm, wanted)
        full = sum(s.nbytes for s in planned)
        if full <= budget:
            trace = run_prompt(args, lm, capture)
            if out:
                trace.save(out)
            steps = [_row(s.index, s.name, s.tensor.shape, lm.model.hook_points[s.name]) for s in trace.steps]
        else:
            trace = run_long(args, lm, planned, full, budget, out)
            steps = [_row(i, s.name, s.shape, lm.model.hook_points[s.name]) for i, s in enumerate(planned)]
        if args.json:
            obj = {"model": lm.name, "ids": trace.ids, "tokens": trace.tokens, "steps": steps}
            obj["device"] = device_info(lm)
            if trace.target_ids is not None:
                obj.update(target_ids=trace.target_ids, target_tokens=trace.target_tokens)
            if out:
                obj["out"] = str(out)
            emit_json(obj)
            return 0
        print(f"{lm.name}: {len(trace.ids)} tokens {trace.tokens}")
        if trace.meta.get("long"):
            print(trace.meta["long"])
        if args.list or not args.out:
            for s in steps:
                shape = "×".join(map(str, s["shape"]))
                print(f"{s['index']:>5}  {s['name']:<45} {shape:<18} {s['description']}")
        if out:
            print(f"saved {len(steps)} tensors to {out}")
        return 0


def _row(index, name, shape, hp) -> dict:
    return {"index": index, "name": name, "shape": list(shape), "axes": list(hp.axes),
            "description": hp.description, "inputs": list(hp.inputs)}


def memory_budget(text: str | None) -> int:
    """--max-memory in bytes; by default 2 GiB or half the free memory, whichever is less."""
    from ..capture_plan import available_memory, parse_size
    from ..errors import InputError

    if text is not None:
        try:
            return parse_size(text)
        except ValueError:
            raise InputError(f"--max-memory takes a size such as 512M or 2G, not {text!r}") from None
    free = available_memory()
    return min(2 * 2**30, free // 2) if free else 2 * 2**30


def plan_prompt(args, lm, wanted: list[str]):
    """The wanted steps' shapes at this prompt's length (engine.capture_plan), before any big run."""
    from ..capture_plan import plan
    from .common import utf8_text

    n_src = len(encode_prompt(lm, read_prompt(args)))
    n_tgt = None
    if lm.model.has_encoder:
        text = utf8_text(args.target, "--target") if getattr(args, "target", None) is not None else None
        n_tgt = len(target_ids(lm, text)) if text is not None else 1
    keep = set(wanted)
    return [s for s in plan(lm.model, n_src, n_tgt) if s.name in keep]


def run_long(args, lm, planned, full: int, budget: int, out):
    """A capture too big for memory: one cheap pass keeping each layer's input; with --out the
    layers are recomputed one at a time and streamed to the file; else only the plan is listed.
    Refuses in one line, with the figures, when even one layer at a time does not fit."""
    import shutil

    from ..capture_plan import human, largest_layer
    from ..errors import InputError
    from ..recompute import kept_per_run
    from ..trace import Capture
    from ..trace_stream import write_streamed

    n = len(encode_prompt(lm, read_prompt(args)))
    outside = [s.name for s in planned if s.layer is None]
    stream = sum(s.nbytes for s in planned if s.layer is None)
    resid = max((s.nbytes for s in planned if s.name.endswith("hook_resid_pre")), default=0)
    need = stream + (resid * kept_per_run(lm.model) + largest_layer(planned) if out else 0)
    if need > budget:
        raise InputError(
            f"this capture needs {human(need)} even one layer at a time ({human(full)} in full) for "
            f"{n} tokens, more than the {human(budget)} allowed (--max-memory); capture fewer steps "
            "(--names, --layers) or shorten the prompt")
    if out:
        free = shutil.disk_usage(next(p for p in out.absolute().parents if p.exists())).free
        if full > free:
            raise InputError(f"--out needs {human(full)} of disk for {n} tokens, but only {human(free)} "
                             f"is free at {out.parent}; capture fewer steps (--names, --layers)")
    if out:
        trace = run_prompt(args, lm, Capture(names=outside, keep_inputs=True))
    else:  # nothing would be kept or shown but the plan: a forward of the whole prompt would be thrown away
        trace = planned_trace(args, lm)
    how = (f"streamed layer by layer to {out}" if out else
           "listed from the plan (the prompt was not run: nothing would be kept); --out saves them layer by layer")
    trace.meta["long"] = (f"long prompt: the full capture would hold {human(full)} (over {human(budget)}); "
                          f"steps {how}")
    if out:
        write_streamed(out, planned, trace, lambda key: trace.layer(lm.model, key, names=[s.name for s in planned]),
                       metadata={"ids": ",".join(map(str, trace.ids))})
    return trace
