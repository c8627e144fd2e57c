"""App launch to the first view drawn, on the offscreen platform: `tplay --model M --prompt P` until
the inspector's `viewShown` signal (the first run's step on screen; `--exit-after-first-view`
prints the timeline and quits there). Wall time from spawning the process, so the interpreter's
own start-up counts; a fresh settings file each run (no saved layout, no last model).

Printed against the 3 s target and against a plain `python -c "import torch"` measured in the same
run (the floor any launch that needs torch pays), as medians of interleaved runs after a warm-up.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/launch.py [--model smollm2-135m] [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 3.0
APP = "from gui.cli import main; import sys; sys.exit(main(sys.argv[1:]))"


def _timed(argv: list[str], env: dict, until: str | None = None, cwd: Path = ROOT) -> tuple[float, str]:
    """Seconds from spawn to exit (or to the first output line starting with `until`)."""
    t = time.perf_counter()
    p = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen, line = None, ""
    for line in p.stdout:
        if until and line.startswith(until):
            seen = time.perf_counter() - t
            break
    p.stdout.close()
    if p.wait() and seen is None:
        raise RuntimeError(f"{' '.join(argv[:3])}… exited {p.returncode}: {line.strip()}")
    if until and seen is None:
        raise RuntimeError(f"no {until!r} line: {line.strip()}")
    return (seen if until else time.perf_counter() - t), line.strip()


def launch(model: str, prompt: str, env: dict, root: Path = ROOT) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as d:
        argv = [sys.executable, "-c", APP, "--model", model, "--prompt", prompt,
                "--settings", str(Path(d) / "settings.ini"), "--exit-after-first-view"]
        return _timed(argv, env, until="start-up:", cwd=root)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="smollm2-135m")
    ap.add_argument("--prompt", default="The cat sat on the mat because")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--before", help="another checkout (e.g. main's) launched in the same runs, for a before/after")
    args = ap.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    peer = [sys.executable, "-c", "import torch"]
    _timed(peer, env)
    launch(args.model, args.prompt, env)  # warm-up: page cache, .pyc files, font cache
    before = Path(args.before).resolve() if args.before else None
    if before:
        launch(args.model, args.prompt, env, before)
    ours, theirs, then, timeline = [], [], [], ""
    for _ in range(args.runs):
        theirs.append(_timed(peer, env)[0])
        t, timeline = launch(args.model, args.prompt, env)
        ours.append(t)
        if before:
            then.append(launch(args.model, args.prompt, env, before)[0])
    ours_m, peer_m = statistics.median(ours), statistics.median(theirs)
    print(f"{args.model}: launch to first view {ours_m:.2f} s (median of {args.runs}; "
          f"runs {', '.join(f'{t:.2f}' for t in ours)})")
    print(f"  {timeline}  (seconds since gui.app was imported)")
    print(f"  vs the {TARGET_S:.0f} s target: {ours_m / TARGET_S:.2f}x (target <= 1.0)")
    print(f"  vs `python -c \"import torch\"` {peer_m:.2f} s: {ours_m / peer_m:.2f}x")
    if before:
        print(f"  before ({before}): {statistics.median(then):.2f} s -> now {ours_m / statistics.median(then):.2f}x")


if __name__ == "__main__":
    main()
