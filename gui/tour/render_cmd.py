"""`tplay tour run NAME|FILE --render-dir DIR [--lang en|zh]`: every stop of a tour drawn offscreen
by the presenter, caption included, to DIR/NN-ID.png (written atomically, as `tplay render` does).

No Qt at import time: the CLI imports this for every subcommand."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.errors import InputError

HELP = "tours: `tour run NAME|FILE --render-dir DIR` renders every stop with its caption; `tour list`"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["run", "list"], help="run: render the tour's stops; list: the built-in tours")
    p.add_argument("tour", nargs="?", default=None, help="a built-in tour's name or a .toml / .json file")
    p.add_argument("--render-dir", help="folder for the PNGs (one per stop, NN-ID.png)")
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="caption language (default en)")
    p.add_argument("--size", default="1366x768", help="WIDTHxHEIGHT of each picture (default 1366x768)")
    p.add_argument("--scale", type=float, default=None, help="type size, × the normal font (default 1.5)")
    p.add_argument("--steps", action="store_true", help="also render each F10 step inside a stop (NN-ID-S.png)")


def run(args: argparse.Namespace) -> int:
    from engine.tour import load_tour
    from engine.tour.format import builtin_names

    if args.action == "list":
        for name in builtin_names():
            print(f"{name}\t{load_tour(name).text(args.lang)}")
        return 0
    if not args.tour:
        raise InputError("tour run needs a tour: a built-in name or a file")
    if not args.render_dir:
        raise InputError("tour run needs --render-dir DIR")
    from ..render_cmd import _size

    size = _size(args.size)
    tour = load_tour(args.tour)
    out = Path(args.render_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"--render-dir {out} is a file, not a folder")
    from .stages import check_view

    for i, s in enumerate(tour.stops):
        check_view(s.view, f"stop {i + 1} ({s.id})")
    return render_tour(tour, out, args.lang, size, args.scale, args.steps)


def render_tour(tour, out: Path, lang: str, size: tuple[int, int], scale: float | None, steps: bool) -> int:
    from ..offscreen import offscreen_app

    app = offscreen_app()
    from ..export import export_widget
    from .fit import clipped_texts
    from .prepare import Models, prepare
    from .presenter import DEFAULT_SCALE, Presenter

    models = Models()
    p = Presenter(tour, lang, scale or DEFAULT_SCALE, models)
    clipped = 0
    try:
        p.resize(*size)
        p.show()
        for i, stop in enumerate(tour.stops):
            prep = prepare(stop, models)
            for step in (range(prep.n_steps) if steps else [prep.first_step]):
                p.show_prepared(i, prep, step)
                app.processEvents()
                p.grab()  # a first paint: pyqtgraph axes measure their labels when painted
                app.processEvents()
                name = f"{i + 1:02d}-{stop.id}" + (f"-{step + 1}" if step != prep.first_step else "") + ".png"
                export_widget(p, out / name)
                bad = clipped_texts(p)
                clipped += bool(bad)
                for b in bad:
                    print(f"warning: {name}: clipped text {b}", file=sys.stderr)
                print(f"wrote {out / name}")
    finally:
        p.close()
        p.deleteLater()
        app.processEvents()
    return 1 if clipped else 0


TOUR = (configure, run, HELP)
