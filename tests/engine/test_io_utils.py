"""Atomic writes: the old file survives a failed save; new files get normal permissions."""
import os

import pytest

from engine.io_utils import atomic_write, atomic_write_bytes


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "session.bin"
    atomic_write_bytes(target, b"old")

    def half_then_crash(tmp):
        with open(tmp, "wb") as f:
            f.write(b"ne")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_write(target, half_then_crash)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["session.bin"]


def test_new_file_mode_follows_umask_and_existing_mode_is_kept(tmp_path):
    umask = os.umask(0o022)
    try:
        new = tmp_path / "new.bin"
        atomic_write_bytes(new, b"x")
        assert new.stat().st_mode & 0o777 == 0o644
        os.chmod(new, 0o600)
        atomic_write_bytes(new, b"y")
        assert new.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)


# --- the one writer: checked, temp files never left, messages name the user's path --------------
import json  # noqa: E402
import struct  # noqa: E402

import numpy as np  # noqa: E402

from engine.errors import WriteError  # noqa: E402
from engine.file_checks import PNG_IEND, PNG_SIGNATURE  # noqa: E402
from engine.io_utils import atomic_folder  # noqa: E402


def _safetensors_bytes() -> bytes:
    header = json.dumps({"x": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}).encode()
    return struct.pack("<Q", len(header)) + header + b"\0" * 16


WHOLE = {
    "a.png": PNG_SIGNATURE + b"\0\0\0\x0dIHDR" + b"\0" * 17 + PNG_IEND,
    "a.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><rect/></svg>',
    "a.safetensors": _safetensors_bytes(),
    "a.json": b'{"version": 1}',
}


def _npy_bytes(tmp_path) -> bytes:
    np.save(tmp_path / "ref.npy", np.zeros((4, 8), np.float32))
    data = (tmp_path / "ref.npy").read_bytes()
    (tmp_path / "ref.npy").unlink()
    return data


@pytest.mark.parametrize("name", [*WHOLE, "a.npy"])
def test_a_file_cut_short_is_refused_and_the_old_one_kept(tmp_path, name):
    data = WHOLE.get(name) or _npy_bytes(tmp_path)
    target = tmp_path / name
    atomic_write_bytes(target, data)  # whole: accepted
    assert target.read_bytes() == data
    for cut in (0, len(data) // 2, len(data) - 1):
        with pytest.raises(WriteError) as e:
            atomic_write_bytes(target, data[:cut])
        assert str(target) in str(e.value) and ".part" not in str(e.value)
        assert target.read_bytes() == data
        assert [p.name for p in tmp_path.iterdir()] == [name]


def test_errors_name_the_users_path_never_the_temp_file(tmp_path):
    def fail(tmp):
        raise OSError(28, "No space left on device", tmp)

    with pytest.raises(WriteError) as e:
        atomic_write(tmp_path / "t.bin", fail)
    assert str(e.value) == f"cannot write {tmp_path / 't.bin'}: No space left on device"
    assert isinstance(e.value, OSError)  # callers that catch OSError still do
    (tmp_path / "d").mkdir()
    with pytest.raises(WriteError, match="is a folder|it is a folder"):
        atomic_write_bytes(tmp_path / "d", b"x")
    (tmp_path / "f").write_text("x")
    with pytest.raises(WriteError, match=r"cannot write .*f/g\.bin"):
        atomic_write_bytes(tmp_path / "f" / "g.bin", b"x")


def test_keyboard_interrupt_mid_write_leaves_no_temp(tmp_path):
    target = tmp_path / "x.json"
    atomic_write_bytes(target, b"[1]")

    def interrupted(tmp):
        open(tmp, "wb").write(b"[2")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, interrupted)
    assert target.read_bytes() == b"[1]" and len(list(tmp_path.iterdir())) == 1


def _fill(files: dict, fail_after: int | None = None):
    def fill(folder):
        for i, (name, data) in enumerate(files.items()):
            if fail_after is not None and i == fail_after:
                raise KeyboardInterrupt
            (folder / name).write_bytes(data)

    return fill


def test_folder_is_swapped_whole_and_an_interrupted_one_leaves_the_old(tmp_path):
    target = tmp_path / "model"
    old = {"config.json": b'{"old": 1}', "model.safetensors": _safetensors_bytes()}
    atomic_folder(target, _fill(old))
    assert {p.name: p.read_bytes() for p in target.iterdir()} == old
    assert target.stat().st_mode & 0o777 != 0o700  # mkdtemp's private mode is not kept
    new = {"config.json": b'{"new": 1}', "model.safetensors": _safetensors_bytes()}
    with pytest.raises(KeyboardInterrupt):
        atomic_folder(target, _fill(new, fail_after=1))
    assert {p.name: p.read_bytes() for p in target.iterdir()} == old
    with pytest.raises(WriteError, match="safetensors"):  # a cut file inside: refused, old kept
        atomic_folder(target, _fill({"config.json": b"{}", "model.safetensors": b"\0" * 12}))
    assert {p.name: p.read_bytes() for p in target.iterdir()} == old
    atomic_folder(target, _fill({"config.json": b'{"new": 1}'}))
    assert [p.name for p in target.iterdir()] == ["config.json"]  # whole: the old weights are gone
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_a_swap_cut_between_its_renames_is_put_back(tmp_path):
    target = tmp_path / "model"
    atomic_folder(target, _fill({"config.json": b"{}"}))
    os.rename(target, tmp_path / ".model.previous")  # what SIGKILL between the renames leaves
    atomic_folder(tmp_path / "other", _fill({"config.json": b"{}"}))
    assert not target.exists()  # another folder's write does not touch it
    with pytest.raises(KeyboardInterrupt):
        atomic_folder(target, _fill({"config.json": b"[]"}, fail_after=0))
    assert (target / "config.json").read_bytes() == b"{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model", "other"]
