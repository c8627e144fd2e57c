"""Atomic writes: the old file survives a failed save; new files get normal permissions."""
import os

import pytest

from engine.io_utils import atomic_write, atomic_write_bytes


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "session.json"
    atomic_write_bytes(target, b"old")

    def half_then_crash(tmp):
        with open(tmp, "wb") as f:
            f.write(b"ne")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_write(target, half_then_crash)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["session.json"]


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
