"""Options and helpers shared by several subcommands."""
from __future__ import annotations

import argparse
import sys

from ..errors import InputError


def add_model_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-m", "--model", default=None,
                   help="bundled or pack name, folder, .gguf file, or cached repo id (default: bundled)")
    p.add_argument("--device", default="auto", help="auto|cpu|cuda|mps (default auto)")
    p.add_argument("--dtype", default="float32", help="float32|float16|bfloat16 (default float32)")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")


def add_prompt_args(p: argparse.ArgumentParser, required: bool = True) -> None:
    g = p.add_mutually_exclusive_group(required=required)
    g.add_argument("--prompt", help="input text")
    g.add_argument("--prompt-file", help="read the input text from FILE ('-' for stdin)")


def read_prompt(args: argparse.Namespace) -> str:
    if getattr(args, "prompt_file", None):
        if args.prompt_file == "-":
            text = sys.stdin.read()
        else:
            try:
                with open(args.prompt_file, encoding="utf-8") as f:
                    text = f.read()
            except OSError as e:
                raise InputError(f"cannot read prompt file {args.prompt_file}: {e.strerror}") from None
            except UnicodeDecodeError:
                raise InputError(f"prompt file {args.prompt_file} is not UTF-8 text") from None
        return text.rstrip("\n")
    return args.prompt


def load(args: argparse.Namespace):
    from ..loading import load_model

    return load_model(args.model, device=args.device, dtype=args.dtype)


def encode_prompt(lm, text: str, what: str = "prompt") -> list[int]:
    """Token ids for a prompt, with clear errors for empty or too-long text."""
    if text is None or text == "":
        raise InputError(f"the {what} is empty: give some text")
    ids = lm.tokenizer.encode(text).ids
    if not ids:
        raise InputError(f"the {what} produced no tokens")
    if len(ids) > lm.cfg.n_ctx:
        raise InputError(
            f"the {what} is {len(ids)} tokens, beyond {lm.name}'s context window of {lm.cfg.n_ctx} tokens"
        )
    return ids


def device_info(lm) -> dict:
    """Where the model ran, and why there (e.g. 'auto picked cpu (cuda: torch was built without CUDA)')."""
    return {"device": str(lm.device), "dtype": str(lm.dtype).replace("torch.", ""), "why": lm.notes[0]}
