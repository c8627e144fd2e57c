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
        add_model_args(p)
        add_prompt_args(p)
        p.add_argument("--target", help="target text (encoder-decoder: teacher-forced decoder input)")
        p.add_argument("--names", action="append", help="glob of hook names to capture (repeatable)")
        p.add_argument("--layers", help="comma-separated layers to capture (0 to the model's last)")
        p.add_argument("--list", action="store_true", help="list step names, shapes and descriptions")
        p.add_argument("--out",
                       help="save the captured tensors by hook name to FILE.safetensors (missing folders are made)")

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
        lm = load(args)
        if layers:
            check_layers(layers, lm)
        trace = run_prompt(args, lm, Capture(names=args.names, layers=layers))
        if args.names and not len(trace):
            raise InputError(f"no hook point matches {', '.join(args.names)}")
        if out:
            trace.save(out)
        steps = [
            {"index": s.index, "name": s.name, "shape": list(s.tensor.shape), "axes": list(s.axes),
             "description": s.description, "inputs": list(s.inputs)}
            for s in trace.steps
        ]
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
        if args.list or not args.out:
            for s in steps:
                shape = "×".join(map(str, s["shape"]))
                print(f"{s['index']:>5}  {s['name']:<45} {shape:<18} {s['description']}")
        if out:
            print(f"saved {len(steps)} tensors to {out}")
        return 0
