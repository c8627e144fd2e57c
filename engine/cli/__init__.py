"""`tplay` engine subcommands. Each subcommand is one module that registers itself.

Errors the user can fix print one line on stderr and exit 2; nothing prints a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Callable

COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int], str]] = {}


def command(name: str, help: str):
    """Register `configure(parser)` + `run(args) -> exit code` as subcommand `name`."""

    def deco(cls):
        COMMANDS[name] = (cls.configure, cls.run, help)
        return cls

    return deco


def _load_commands() -> None:
    """Import every `*_cmd` module in this package; each registers its subcommand."""
    import importlib
    import pkgutil

    for mod in pkgutil.iter_modules(__path__):
        if mod.name.endswith("_cmd"):
            importlib.import_module(f"{__name__}.{mod.name}")


DISTRIBUTION = "transformer-playground"  # the name pip knows the package by


class _VersionAction(argparse.Action):
    """`--version`, looked up only when asked: reading package metadata costs ~30 ms per start."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        try:
            text = version(DISTRIBUTION)
        except PackageNotFoundError:
            text = "unknown (not installed: pip install -e .)"
        print(f"{parser.prog} {text}")
        parser.exit()


def build_parser(extra: dict | None = None) -> argparse.ArgumentParser:
    _load_commands()
    p = argparse.ArgumentParser(prog="tplay", description="Transformer Playground")
    p.add_argument("--version", action=_VersionAction, help="print the version and exit")
    sub = p.add_subparsers(dest="command")
    for name, (configure, runner, help_) in {**COMMANDS, **(extra or {})}.items():
        sp = sub.add_parser(name, help=help_, description=help_)
        configure(sp)
        sp.set_defaults(command_fn=runner)
    return p


def fail(message: str, code: int = 2) -> int:
    one_line = " ".join(message.split())
    print(f"tplay: error: {one_line}", file=sys.stderr)
    return code


def emit_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False))


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed subcommand, turning user-facing errors into one line."""
    from ..cleanup import Terminated, exit_on_signals
    from ..errors import PlaygroundError

    try:
        with exit_on_signals():  # Ctrl+C / SIGTERM: temp files removed, one line, the signal's exit status
            return int(args.command_fn(args) or 0)
    except PlaygroundError as e:
        return fail(str(e))
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except Terminated:
        return fail("terminated", 143)
    except BrokenPipeError:
        return 0
    except OSError as e:  # e.g. an output folder that cannot be created or written
        return fail(f"{e.filename}: {e.strerror}" if e.filename else str(e))
    except Exception as e:  # out of memory of any kind (engine/out_of_memory.py), else a bug
        from ..out_of_memory import out_of_memory_text

        gpu = type(e).__name__ == "OutOfMemoryError"
        oom = out_of_memory_text(e, "try --device cpu, a shorter prompt or --dtype float16" if gpu
                                 else "try a shorter prompt or a smaller capture (--names)")
        if oom is None:
            raise
        return fail(oom)


def main(argv: list[str] | None = None) -> int:
    from ..cleanup import exit_on_signals

    with exit_on_signals():  # from the first import on, not only once the command runs
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "command_fn", None):
            parser.print_help()
            return 0
        return run_command(args)
