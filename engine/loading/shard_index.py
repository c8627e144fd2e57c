"""model.safetensors.index.json: the shards a sharded folder lists, each checked before anything
reads it — a file name inside the model folder (an entry such as ../../etc/x or an absolute path
is refused as outside the folder), and present. The loader and the model listing share it, so a
folder the listing calls openable is one the loader opens."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import ModelLoadError

INDEX = "model.safetensors.index.json"


def shard_files(folder: Path) -> list[Path] | None:
    """The listed shards in order, or None when the folder has no index."""
    index = folder / INDEX
    if not index.is_file():
        return None
    try:
        shards = sorted(set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values()))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:  # JSON, UTF-8, shape
        raise ModelLoadError(f"{index} is malformed ({type(e).__name__}: {e})") from None
    inside = folder.resolve()
    files = []
    for s in shards:
        if not isinstance(s, str) or not s:
            raise ModelLoadError(f"{index} is malformed (shard {s!r} is not a file name)")
        f = folder / s
        if inside not in f.resolve().parents:
            raise ModelLoadError(f"shard {s} listed in {INDEX} is outside the model folder {folder}; refused")
        if not f.is_file():
            raise ModelLoadError(f"shard {s} listed in {INDEX} is missing")
        files.append(f)
    return files
