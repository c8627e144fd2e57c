"""A small tmpfs for full / read-only file-system tests (root only; skipped with the reason otherwise)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def small_fs(tmp_path):
    """A 256 KiB tmpfs (root only), unmounted afterwards."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    mnt = tmp_path / "fs"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)]).returncode:
        pytest.skip("mount -t tmpfs is not allowed here (a container without CAP_SYS_ADMIN)")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)])


def fill_up(mnt: Path) -> None:
    """Write a ballast file until the file system is full."""
    fd = os.open(mnt / "ballast", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:  # ENOSPC: full
        pass
    finally:
        os.close(fd)


def read_only(mnt: Path) -> None:
    if subprocess.run(["mount", "-o", "remount,ro", str(mnt)]).returncode:
        pytest.skip("cannot remount the tmpfs read-only here")
