"""`tplay generate`: greedy / sampling / beam search (or [MASK] filling for encoder-only models).

With --json the last stdout line is one object: prompt_ids, sequences (best first; generated
ids, text, score) and decode_tokens_per_second. --events first prints one JSON line per step.
Numeric options are parsed here (not by argparse) so a bad value gives one line, not usage text.
"""
from __future__ import annotations

import sys

from . import command, emit_json
from .common import add_model_args, add_prompt_args, encode_prompt, load, read_prompt

EARLY = {"false": False, "true": True, "never": "never"}


# Options of one strategy are errors with another, as --temperature is without sample: never ignored.
# (flag, is it in use?, the strategies it applies to); opts holds the parsed values.
STRATEGY_ONLY = (
    ("--beams", lambda args, opts: args.beams is not None, ("beam",)),
    ("--length-penalty", lambda args, opts: args.length_penalty is not None, ("beam",)),
    ("--early-stopping true|never", lambda args, opts: opts.early_stopping is not False, ("beam",)),
    ("--num-return above 1", lambda args, opts: opts.num_return > 1, ("beam", "sample")),
)


def _num(value: str | None, flag: str, kind=float, default=None, low=None, high=None, tiny=None):
    """Parse a number; `tiny`: positive values below it overflow float32 logits when divided by."""
    from ..errors import InputError

    if value is None:
        return default
    try:
        x = int(value) if kind is int else float(value)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise InputError(f"{flag} must be {what}, got {value!r}") from None
    if x != x or x in (float("inf"), float("-inf")):
        raise InputError(f"{flag} must be a finite number, got {value!r}")
    if low is not None and x < low:
        raise InputError(f"{flag} must be at least {low}, got {value!r}")
    if high is not None and x > high:
        raise InputError(f"{flag} must be at most {high}, got {value!r}")
    if tiny is not None and 0 < x < tiny:
        raise InputError(f"{flag} {value} is too small to compute with (below {tiny} the scores overflow)")
    return x


@command("generate", "continue a prompt (greedy, sampling or beam search), translate, or fill [MASK]s")
class GenerateCmd:
    @staticmethod
    def configure(p):
        add_model_args(p)
        add_prompt_args(p)
        p.add_argument("--strategy", default="greedy",
                       help="greedy | sample | beam (default greedy); the options of sample or beam need it given")
        p.add_argument("--beams", help="beam width ≥ 1 (default 4; needs --strategy beam)")
        p.add_argument("--num-return", help="sequences to return (default 1; more needs --strategy beam or sample)")
        p.add_argument("--length-penalty",
                       help="beam score = sum log p / length^X (default 1.0; needs --strategy beam)")
        p.add_argument("--early-stopping", default="false",
                       help="false | true | never (default false; true and never need --strategy beam)")
        add_processor_args(p)
        p.add_argument("--seed", help="random seed for sampling (default: picked and reported)")
        p.add_argument("--max-new-tokens", help="tokens to generate at most (default 20)")
        p.add_argument("--min-new-tokens", help="no end-of-sequence before this many tokens (default 0)")
        p.add_argument("--target-lang", metavar="TOKEN",
                       help="encoder-decoder: force this token first, e.g. a target-language code "
                            "(fra_Latn for NLLB, __fr__ for M2M100, fr_XX for mBART-50)")
        p.add_argument("--top", help="encoder-only [MASK] filling: candidates per mask (default 5)")
        p.add_argument("--iterative", action="store_true",
                       help="encoder-only: fill the most certain [MASK] first, then run again")
        p.add_argument("--events", action="store_true", help="print one JSON line per step first")

    @staticmethod
    def run(args) -> int:
        from ..errors import InputError

        lm = load(args)
        text = read_prompt(args)
        if not lm.model.generates:
            return _fill(args, lm, text)
        opts = options(args)
        if args.target_lang is not None:
            opts.forced_bos = target_token(lm, args.target_lang)
        if text:
            ids = encode_prompt(lm, text)
        elif not lm.model.has_encoder:
            ids = []  # the decoder adapter starts from BOS (and says so) or refuses
        else:
            raise InputError("the prompt is empty: give some text")
        return _generate(args, lm, ids, opts)


def target_token(lm, token: str) -> int:
    """--target-lang: the id of a token of this model's vocabulary, forced as the first generated one."""
    from ..errors import InputError

    if not lm.model.has_encoder:
        raise InputError("--target-lang needs an encoder-decoder (translation) model")
    i = lm.tokenizer.token_to_id(token)
    if i is None:
        raise InputError(f"--target-lang: {token!r} is not a token of {lm.name}'s vocabulary")
    return i


def add_processor_args(p) -> None:
    """One flag per registered processor (its declared option): `tplay generate` and `tplay render`."""
    from ..decoding.processors import PROCESSORS

    for cls in PROCESSORS.values():
        p.add_argument(cls.option.flag, dest=cls.option.name, help=cls.option.help)


def processor_args(args) -> dict:
    """The processor values given on the command line (parsed by each option; absent = off)."""
    from ..decoding.processors import PROCESSORS

    return {name: cls.option.parse(getattr(args, name, None)) for name, cls in PROCESSORS.items()}


def options(args):
    """GenerationOptions from parsed `tplay generate` (or `tplay render`) arguments."""
    from ..decoding import GenerationOptions
    from ..decoding.strategies import STRATEGIES
    from ..errors import InputError

    es = EARLY.get(str(args.early_stopping).lower())
    if es is None:
        raise InputError(f"--early-stopping must be true, false or never, got {args.early_stopping!r}")
    opts = GenerationOptions(
        strategy=args.strategy,
        num_beams=_num(args.beams, "--beams", int, 4, low=1),
        num_return=_num(args.num_return, "--num-return", int, 1, low=1),
        length_penalty=_num(args.length_penalty, "--length-penalty", float, 1.0),
        early_stopping=es,
        processors=processor_args(args),
        seed=_num(args.seed, "--seed", int, None, low=0, high=2**63 - 1),
        max_new_tokens=_num(args.max_new_tokens, "--max-new-tokens", int, 20),
        min_new_tokens=_num(args.min_new_tokens, "--min-new-tokens", int, 0),
        keep_stages=bool(args.events),
    )
    for flag, in_use, strategies in STRATEGY_ONLY:
        if in_use(args, opts) and opts.strategy in STRATEGIES and opts.strategy not in strategies:
            raise InputError(f"{flag} needs --strategy {' or '.join(strategies)} (the strategy is {opts.strategy})")
    return opts


def _note(msg: str) -> None:
    print(f"tplay: note: {msg}", file=sys.stderr)


def _generate(args, lm, ids, opts) -> int:
    from ..decoding import Generation

    gen = Generation(lm.model, ids, opts)
    tok = lm.tokenizer
    label = lambda i: tok.token_strings([i])[0]  # noqa: E731
    for ev in gen:
        if args.events:
            emit_json(ev.to_json(label))
            sys.stdout.flush()
    for n in gen.notes:
        _note(n)
    if getattr(lm, "placement", None) is not None:  # where each layer ran, and the rate it gave
        _note("placement: " + lm.placement.summary(lm.model, gen.decode_tokens_per_second))
    seqs = [{"ids": s.ids, "text": tok.decode(s.ids), "score": s.score} for s in gen.sequences]
    tps = gen.decode_tokens_per_second
    if args.json:
        emit_json({
            "model": lm.name, "strategy": opts.strategy, "prompt_ids": gen.prompt_ids, "sequences": seqs,
            "stop_reason": gen.stop_reason, "decode_tokens_per_second": tps, "notes": gen.notes,
            "processors": gen.chain.describe(), **({"seed": gen.seed_used} if gen.seed_used is not None else {}),
        })
        return 0
    for i, s in enumerate(seqs):
        print(f"[{i}] score {s['score']:.4f}: {s['text']}")
    speed = f"{tps:.1f} tok/s" if tps else "n/a"
    print(f"({opts.strategy}; stopped: {gen.stop_reason}; decode {speed})")
    return 0


def _fill(args, lm, text) -> int:
    import math

    from ..decoding import fill_masks
    from ..errors import InputError

    if not text:
        raise InputError("the prompt is empty: give a sentence with [MASK] in it")
    ids = encode_prompt(lm, text)
    top = _num(args.top, "--top", int, 5)
    tok = lm.tokenizer
    last, score = None, 0.0
    for ev in fill_masks(lm.model, ids, top_k=top, iterative=args.iterative):
        if args.events:
            emit_json({"step": ev.step, "positions": ev.positions, "filled": ev.filled,
                       "top": {str(p): [{"id": i, "text": tok.token_strings([i])[0], "p": q} for i, q in c]
                               for p, c in ev.top.items()}})
        score += sum(math.log(dict(ev.top[p])[t]) for p, t in ev.filled.items())
        last = ev
    filled = last.result
    seqs = [{"ids": filled, "text": tok.decode(filled), "score": score}]
    if args.json:
        emit_json({"model": lm.name, "strategy": "fill-mask", "prompt_ids": ids, "sequences": seqs,
                   "decode_tokens_per_second": None})
        return 0
    print(seqs[0]["text"])
    return 0
