"""Writers under faults (issue 14): SIGINT/SIGTERM at random points of a writing command leave the
previous file intact or the new one complete, and no temp file; a full or read-only file system is
reported in one line and the previous file is kept. Tiny random models only."""
from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.errors import WriteError
from engine.file_checks import check_file

from .one_line import one_line_error
from .small_fs import fill_up as _fill_up, read_only, small_fs  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parents[2]
CLI = "import sys; from engine.cli import main; sys.exit(main(sys.argv[1:]))"
KILLS = 11  # kill points per command and signal
WRITERS = {  # command -> (extra args, output name)
    "trace": (["--prompt", "hello world the cat"], "--out", "t.safetensors"),
    "logits": (["--prompt", "hello world the cat"], "--npy", "l.npy"),
}


def _start(args) -> subprocess.Popen:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", CLI, *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _whole_or_old(target: Path, old: bytes) -> None:
    if target.read_bytes() != old:
        check_file(target, target)  # the new file, complete
    leftovers = [p.name for p in target.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == [], leftovers


@pytest.mark.slow
@pytest.mark.parametrize("cmd", list(WRITERS))
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_killed_at_random_points_leaves_old_or_new_and_no_temp(gpt2_folder, tmp_path, cmd, sig):
    extra, flag, name = WRITERS[cmd]
    target = tmp_path / name
    began = time.monotonic()
    full = _start([cmd, "-m", gpt2_folder, *extra, flag, target])  # one whole run: the old file, and its length
    assert full.wait(timeout=120) == 0, full.stderr.read()
    whole = time.monotonic() - began
    old = target.read_bytes()
    rng = random.Random(14)
    for i in range(KILLS):
        p = _start([cmd, "-m", gpt2_folder, *extra, flag, target])
        # one point in each tenth of a whole run (start-up, loading, running, writing), jittered, and
        # a last one just past it; stratified so ten points cover what twenty uniform ones did
        point = whole * (i + rng.random()) / (KILLS - 1)
        try:
            p.wait(timeout=max(0.05, point))
        except subprocess.TimeoutExpired:
            p.send_signal(getattr(__import__("signal"), sig))
        code = p.wait(timeout=60)
        err = p.stderr.read().decode()
        assert "Traceback" not in err, err
        assert code in (0, 130, 143, -2, -15), (code, err)
        _whole_or_old(target, old)


@pytest.mark.parametrize("cmd", list(WRITERS))
def test_full_disk_is_one_line_and_keeps_the_old_file(tplay, gpt2_folder, small_fs, cmd):
    extra, flag, name = WRITERS[cmd]
    target = small_fs / name
    target.write_bytes(b"previous")
    _fill_up(small_fs)
    code, out, err = tplay(cmd, "-m", gpt2_folder, *extra, flag, target)
    msg = one_line_error(code, err)
    assert str(target) in msg and ".part" not in msg
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in small_fs.iterdir()) == sorted(["ballast", name])


def test_full_disk_train_keeps_the_old_model(gpt2_folder, small_fs):
    from engine.io_utils import atomic_folder

    model = small_fs / "model"
    model.mkdir()
    (model / "config.json").write_text('{"old": true}')
    _fill_up(small_fs)

    def fill(tmp):
        (tmp / "config.json").write_text("{}")
        (tmp / "model.safetensors").write_bytes(b"\0" * 1_000_000)

    with pytest.raises(WriteError, match=f"cannot write {model}"):
        atomic_folder(model, fill)
    assert (model / "config.json").read_text() == '{"old": true}'
    assert sorted(p.name for p in small_fs.iterdir()) == ["ballast", "model"]


def test_read_only_file_system_is_one_line(tplay, gpt2_folder, small_fs):
    target = small_fs / "t.safetensors"
    target.write_bytes(b"previous")
    read_only(small_fs)
    code, out, err = tplay("trace", "-m", gpt2_folder, "--prompt", "hi", "--out", target)
    msg = one_line_error(code, err)
    assert str(target) in msg and "Read-only" in msg
    assert target.read_bytes() == b"previous"
