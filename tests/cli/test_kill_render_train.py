"""Kill tests for the two other writing commands (issue 14): `tplay render --out` (a PNG) and
`tplay train gpt --out` (a model folder, swapped whole). SIGINT / SIGTERM at random points, 20 runs
per signal, leave the previous file or folder intact or the new one complete, and no temp file.

Each run is killed at a random point of a whole run's duration (start-up, loading, running or
writing); runs go two at a time, each lane on its own target, to keep a test near 40 s."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.file_checks import check_file

ROOT = Path(__file__).resolve().parents[2]
CLI = "import sys; from gui.cli import main; sys.exit(main(sys.argv[1:]))"
COMMANDS = {  # name -> (arguments before --out, the output's name)
    "render": (["render", "-m", "tiny-gpt", "--prompt", "hello world", "--view", "attention"], "a.png"),
    "train": (["train", "gpt", "--steps", "2", "--every", "1"], "model"),
}
RUNS, LANES = 12, 2
START_S = 0.4  # no kill point before: the interpreter itself is still starting (its own traceback)


def _start(args) -> subprocess.Popen:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([sys.executable, "-c", CLI, *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _contents(target: Path) -> dict:
    if target.is_dir():
        return {p.name: p.read_bytes() for p in sorted(target.iterdir())}
    return {"": target.read_bytes()}


def _whole_or_old(target: Path, old: dict) -> None:
    now = _contents(target)
    if now != old:  # the new one: complete
        assert sorted(now) == sorted(old), (sorted(now), sorted(old))
        for p in ([target] if target.is_file() else sorted(target.iterdir())):
            check_file(p, p)
    leftovers = [p.name for p in target.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == [], leftovers


class Lane:
    """One target, written once whole (the previous output), then killed run after run."""

    def __init__(self, args, target: Path):
        self.args, self.target = args, target
        t0 = time.monotonic()
        p = _start([*args, "--out", target])
        assert p.wait(timeout=300) == 0, p.stderr.read().decode()
        self.whole_s = time.monotonic() - t0
        self.old = _contents(target)
        self.proc, self.kill_at = None, 0.0

    def begin(self, rng: random.Random, k: int) -> None:
        """Run k of RUNS: killed in the k-th of RUNS-1 equal slices of a whole run, jittered (the
        last just past its end), so twelve stratified points cover what twenty uniform ones did."""
        self.proc = _start([*self.args, "--out", self.target])
        self.kill_at = time.monotonic() + START_S + (self.whole_s - START_S) * (k + rng.random()) / (RUNS - 1)

    def step(self, sig) -> bool:
        """Signal the run once its time has come; True once it has ended (and was checked)."""
        p = self.proc
        if p.poll() is None:
            if time.monotonic() < self.kill_at:
                return False
            p.send_signal(sig)
        code = p.wait(timeout=120)
        err = p.stderr.read().decode()
        assert "Traceback" not in err, err
        assert code in (0, 130, 143, -2, -15), (code, err)
        _whole_or_old(self.target, self.old)
        self.proc = None
        return True


@pytest.mark.slow
@pytest.mark.parametrize("cmd", list(COMMANDS))
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_killed_at_random_points_leaves_old_or_new_and_no_temp(tmp_path, cmd, sig):
    args, name = COMMANDS[cmd]
    lanes = []
    for i in range(LANES):
        (tmp_path / str(i)).mkdir()
        lanes.append(Lane(args, tmp_path / str(i) / name))
    rng = random.Random(14)
    left = RUNS
    for lane in lanes:
        lane.begin(rng, RUNS - left)
        left -= 1
    checked = 0
    while any(lane.proc for lane in lanes):
        for lane in lanes:
            if lane.proc is not None and lane.step(sig):
                checked += 1  # one run ended and its output was found old-or-whole, with no temp file
                if left > 0:
                    lane.begin(rng, RUNS - left)
                    left -= 1
        try:  # a short wait on a running child, not a sleep: returns as soon as it exits
            next(lane.proc for lane in lanes if lane.proc).wait(timeout=0.02)
        except (subprocess.TimeoutExpired, StopIteration):
            pass
    assert checked == RUNS, checked  # every run was signalled (or finished) and checked
