"""The offload folder: one per loaded model, under the user's cache folder, removed with the model.

A folder left by a process that died (SIGKILL, power cut) is removed by the next load: its name
carries the owner's process id."""
from __future__ import annotations

import os
import shutil
import uuid
import weakref
from pathlib import Path


def cache_root() -> Path:
    """$TPLAY_OFFLOAD_DIR, else the platform's user cache folder (platformdirs) / offload."""
    env = os.environ.get("TPLAY_OFFLOAD_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("tplay", appauthor=False)) / "offload"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(root: Path) -> None:
    """Remove folders whose owning process is gone."""
    if not root.is_dir():
        return
    for d in root.iterdir():
        pid = d.name.split("-", 1)[0]
        if d.is_dir() and pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)


def new_folder(root: Path | None = None) -> Path:
    root = Path(root) if root is not None else cache_root()
    sweep(root)
    folder = root / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    from ..cleanup import hold

    hold(folder)  # removed on exit, Ctrl+C and SIGTERM with the CLI's other temp paths
    return folder


def remove_with(owner: object, folder: Path) -> None:
    """Delete `folder` once `owner` (the model) is garbage collected."""
    from ..cleanup import release

    weakref.finalize(owner, release, str(folder))
