"""The `tplay` entry point: engine subcommands, `render`, and the GUI.

`tplay`, `tplay gui [options]` and `tplay [options]` open the window: arguments that start with
an option other than the top-level parser's own (-h, --help, --version) are the window's, so
`tplay -m NAME` works as `tplay trace -m NAME` does. Qt is imported lazily, so headless engine
commands never pay for it.
"""
from __future__ import annotations

import sys

PARSER_OPTIONS = ("-h", "--help", "--version")
GUI_HELP = "open the step-through debugger window (the default: `tplay [options]` is `tplay gui [options]`)"


def _launch_gui(argv: list[str]) -> int:
    from .app import main as app_main

    return app_main(argv)


def _gui_listed(args) -> int:
    """`gui` is in the parser for --help; main() hands `tplay gui ...` to the app before parsing."""
    return _launch_gui([])


def _parser():
    from engine.cli import build_parser

    from .app import add_app_args

    extra = {"gui": (lambda p: None, _gui_listed, GUI_HELP)}
    try:
        from .render_cmd import RENDER

        extra["render"] = RENDER
    except ImportError:
        pass
    try:
        from .recording_replay import REPLAY

        extra["replay"] = REPLAY  # a recording's views, without the model
    except ImportError:
        pass
    from .tour.render_cmd import TOUR  # `tplay tour run NAME --render-dir DIR` (gui/tour/)

    extra["tour"] = TOUR
    parser = build_parser(extra)
    add_app_args(parser.add_argument_group("the window's options (tplay [options], or tplay gui [options])"))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("gui", "--gui"):
        return _launch_gui(argv[1:] if argv else [])
    if argv[0].startswith("-") and argv[0] not in PARSER_OPTIONS:
        return _launch_gui(argv)  # the window's options: -m NAME, --prompt TEXT, --settings FILE
    from engine.cleanup import exit_on_signals
    from engine.cli import run_command

    with exit_on_signals():  # Ctrl+C / SIGTERM from the first import on: one line, no traceback
        parser = _parser()
        args = parser.parse_args(argv)
        if not getattr(args, "command_fn", None):
            parser.print_help()
            return 0
        return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
