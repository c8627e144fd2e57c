"""The `tplay` entry point: engine subcommands, `render`, and (no arguments) the GUI.

Qt is imported lazily, so headless engine commands never pay for it.
"""
from __future__ import annotations

import sys


def _launch_gui(argv: list[str]) -> int:
    from .app import main as app_main

    return app_main(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("gui", "--gui"):
        return _launch_gui(argv[1:] if argv else [])
    if argv[0].startswith("--") and argv[0] != "--help":
        return _launch_gui(argv)  # app options such as --settings FILE, --model NAME
    from engine.cli import build_parser, run_command

    extra = {}
    try:
        from .render_cmd import RENDER

        extra["render"] = RENDER
    except ImportError:
        pass
    parser = build_parser(extra)
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 0
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
