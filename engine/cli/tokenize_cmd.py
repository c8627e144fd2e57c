"""`tplay tokenize`: the checkpoint's token ids for a text, with bytes; `--explain` adds every
step from text to ids (normalisation, pre-tokenisation, merges / longest match, specials)."""
from __future__ import annotations

from . import command, emit_json
from .common import add_model_args, add_prompt_args, read_prompt, utf8_text


def _text(args) -> str:
    from ..errors import InputError

    given = [x for x in (args.text, args.prompt, args.prompt_file) if x is not None]
    if len(given) > 1:
        raise InputError("give the text once: as TEXT, --prompt or --prompt-file")
    if not given:
        raise InputError("give the text to tokenize: tplay tokenize -m MODEL \"some text\"")
    return utf8_text(args.text, "text") if args.text is not None else read_prompt(args)


def _width(s: str) -> int:
    """Terminal columns: East Asian wide characters take two, combining marks none."""
    import unicodedata

    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)


def _table(text: str, ids, tokens, offsets, byts) -> list[str]:
    from ..tokenizers.explain_steps import show

    rows = [("#", "id", "token", "text", "bytes")]
    for k, (i, t, (a, b), by) in enumerate(zip(ids, tokens, offsets, byts)):
        rows.append((str(k), str(i), show(t), show(text[a:b]) if b > a else "", by.hex(" ")))
    widths = [min(max(_width(r[c]) for r in rows), 40) for c in range(4)]

    def cell(c: int, v: str) -> str:
        pad = " " * max(0, widths[c] - _width(v))
        return v + pad if c in (2, 3) else pad + v

    return ["  ".join(cell(c, r[c]) for c in range(4)) + "  " + r[4] for r in rows]


@command("tokenize", "show a text's token ids (and bytes); --explain shows every step")
class TokenizeCmd:
    @staticmethod
    def configure(p):
        p.add_argument("text", nargs="?", help="the text to tokenize (or --prompt / --prompt-file)")
        add_model_args(p)
        add_prompt_args(p, required=False)
        p.add_argument("--explain", action="store_true",
                       help="show the steps: normalisation, pre-tokenisation, merges, special tokens")
        p.add_argument("--no-special", action="store_true",
                       help="leave out the special tokens the post-processor adds (e.g. [CLS]/[SEP], BOS)")
        p.epilog = "Only the tokenizer is loaded (no weights), so --device/--dtype do not matter here."

    @staticmethod
    def run(args) -> int:
        from ..tokenizers.by_name import load_tokenizer_only
        from ..tokenizers.explain import check_text, explain
        from ..tokenizers.token_bytes import is_byte_level, token_bytes

        from .common import check_model_arg

        text = check_text(_text(args))
        check_model_arg(args.model)
        ref, tt = load_tokenizer_only(args.model)
        tok = tt.tok
        special = not args.no_special
        if args.explain:  # through the wrapper: a vocab.json layout (Marian, M2M100) maps the ids
            ex = explain(tt, text, add_special_tokens=special)
            ids, tokens, offsets, steps = ex.ids, ex.tokens, ex.offsets, ex.steps
        else:
            enc = tt.encode(text, special=special)
            ids, tokens, offsets, steps = enc.ids, enc.tokens, enc.offsets, None
        bl = is_byte_level(tok)
        byts = [token_bytes(tok, t, bl) for t in tokens]
        if args.json:
            obj = {"model": ref.name, "kind": tt.kind, "text": text, "ids": ids, "tokens": tokens,
                   "offsets": [list(o) for o in offsets], "bytes": [b.hex() for b in byts]}
            if steps is not None:
                obj["steps"] = [{"kind": s.kind, "description": s.description, "data": s.data} for s in steps]
            emit_json(obj)
            return 0
        if steps is not None:
            print(f"Steps ({len(steps)}):")
            for n, s in enumerate(steps, 1):
                print(f"{n:5}. [{s.kind}] {s.description}")
            print()
        note = " (the text is empty)" if text == "" else ""
        print(f"{ref.name} ({tt.kind}): {len(ids)} token(s){note}")
        if ids:
            print("\n".join(_table(text, ids, tokens, offsets, byts)))
        return 0
