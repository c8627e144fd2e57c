"""Options and helpers shared by several subcommands."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError


def add_model_args(p: argparse.ArgumentParser, memory_flag: str = "--max-memory") -> None:
    """memory_flag: the placement budget's option (`trace` has its own --max-memory, for the capture)."""
    p.add_argument("-m", "--model", default=None,
                   help="bundled or pack name, folder, .gguf file, or cached repo id (default: bundled)")
    p.add_argument("--device", default="auto", help="auto|cpu|cuda|mps (default auto)")
    p.add_argument("--dtype", default="float32", help="float32|float16|bfloat16 (default float32)")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    # placement (engine/placement): layers spread over GPUs, CPU and disk by accelerate
    p.add_argument("--device-map", default=None, choices=("auto", "balanced", "sequential"),
                   help="place layers across GPUs, CPU and disk with accelerate (default: one device)")
    p.add_argument(memory_flag, dest="place_memory", default=None, metavar="SPEC",
                   help='per-device budget for --device-map, e.g. "cuda:0=20GiB,cpu=30GiB" (implies --device-map auto)')


def add_prompt_args(p: argparse.ArgumentParser, required: bool = True) -> None:
    g = p.add_mutually_exclusive_group(required=required)
    g.add_argument("--prompt", help="input text")
    g.add_argument("--prompt-file", help="read the input text from FILE ('-' for stdin)")


def require_prompt(args: argparse.Namespace, what: str) -> None:
    """For commands whose prompt is optional for some uses: say which use needs one."""
    if getattr(args, "prompt", None) is None and not getattr(args, "prompt_file", None):
        raise InputError(f"{what} needs --prompt or --prompt-file")


def utf8_text(text: str, what: str) -> str:
    """`text` unchanged, or one clear line if it came from invalid UTF-8 bytes.

    Python turns invalid bytes in argv (and on a surrogateescape stdin) into lone surrogates,
    which the tokenizers library refuses with a TypeError deep inside encode().
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InputError(f"the {what} is not valid UTF-8 text (byte {e.start} of the text)") from None
    return text


def read_prompt(args: argparse.Namespace) -> str:
    if getattr(args, "prompt_file", None):
        if args.prompt_file == "-":
            try:
                text = utf8_text(sys.stdin.read(), "text on standard input")
            except UnicodeDecodeError:
                raise InputError("the text on standard input is not valid UTF-8") from None
        else:
            try:
                with open(args.prompt_file, encoding="utf-8") as f:
                    text = f.read()
            except OSError as e:
                raise InputError(f"cannot read prompt file {args.prompt_file}: {e.strerror}") from None
            except UnicodeDecodeError:
                raise InputError(f"prompt file {args.prompt_file} is not UTF-8 text") from None
        return utf8_text(text, f"prompt file {args.prompt_file}").rstrip("\n")
    return utf8_text(args.prompt, "--prompt") if args.prompt is not None else None


def load(args: argparse.Namespace):
    from ..loading import load_model

    check_model_arg(args.model)
    if getattr(args, "device_map", None) or getattr(args, "place_memory", None):
        return load_placed_args(args)
    lm = load_model(args.model, device=args.device, dtype=args.dtype)
    for note in lm.notes[1:]:  # what loading noticed (the device choice is in --json's "device")
        print(f"note: {note}", file=sys.stderr)
    return lm


def load_placed_args(args: argparse.Namespace):
    """--device-map / --max-memory: the pre-flight estimate and the placement on stderr."""
    from ..placement import load_placed

    if args.device != "auto":
        raise InputError("--device and --device-map exclude each other: --max-memory names the devices")
    lm = load_placed(args.model, args.device_map or "auto", args.place_memory, args.dtype)
    for line in lm.placement.preflight.lines() + lm.notes[1:]:
        print(f"note: {line}", file=sys.stderr)
    return lm


def check_model_arg(model: str | None) -> None:
    """-m '' would silently mean the default model; -m /dev/null is there but is no model."""
    import os
    import stat

    if model is None:
        return
    if not model.strip() or "\x00" in model:
        raise InputError(f"-m {model!r} names no model: give a bundled name, a folder, a .gguf file or a repo id")
    try:
        mode = os.stat(os.path.expanduser(model)).st_mode
    except (OSError, ValueError):
        return  # not a path: a bundled, pack or cached name, resolved by the loader
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise InputError(f"-m {model}: not a model file or folder (a device or other special file)")


def encode_prompt(lm, text: str, what: str = "prompt") -> list[int]:
    """Token ids for a prompt, with clear errors for empty or too-long text."""
    if text is None or text == "":
        raise InputError(f"the {what} is empty: give some text")
    ids = lm.tokenizer.encode(text).ids
    if not ids:
        raise InputError(f"the {what} produced no tokens")
    bad = next((i for i in ids if not 0 <= i < lm.cfg.vocab_size), None)
    if bad is not None:
        raise InputError(f"the {what} has token id {bad}, outside {lm.name}'s vocabulary of "
                         f"{lm.cfg.vocab_size} (the tokenizer does not match the model)")
    if len(ids) > lm.cfg.n_ctx:
        raise InputError(
            f"the {what} is {len(ids)} tokens, beyond {lm.name}'s context window of {lm.cfg.n_ctx} tokens"
        )
    return ids


def device_info(lm) -> dict:
    """Where the model ran, and why there (e.g. 'auto picked cpu (cuda: torch was built without CUDA)')."""
    return {"device": str(lm.device), "dtype": str(lm.dtype).replace("torch.", ""), "why": lm.notes[0]}


def output_file(value: str, flag: str, ext: str, add_ext: bool = False) -> Path:
    """Check an output file name before any work, so a typo costs one line, not a finished run.

    Missing folders are created when the file is written (as `render --out` does); a path that
    runs through a file is an error. With add_ext a name without an extension gets `ext`, which
    np.save would otherwise do behind the user's back.
    """
    path = Path(value).expanduser()
    if path.name in ("", "..") or path.is_dir():
        raise InputError(f"{flag} {value} is a folder: give a file name ending in {ext}")
    if add_ext and not path.suffix:
        path = path.with_name(path.name + ext)
    if path.suffix.lower() != ext:
        hint = " (or a name without an extension)" if add_ext else ""
        raise InputError(f"{flag} must name a {ext} file{hint}, not {path.name!r}")
    nearest = next(p for p in path.absolute().parents if p.exists())
    if not nearest.is_dir():
        raise InputError(f"cannot write {path}: {nearest} is a file, not a folder")
    return path
