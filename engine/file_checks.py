"""Checks that a just-written file is whole, by the target's extension (a registry).

A full disk can cut a file short while its writer still reports success (Qt's PNG and SVG writers
do): each check reads the file back cheaply and raises WriteError naming the user's path.
"""
from __future__ import annotations

import json
import os
import struct
from pathlib import Path
from typing import Callable

from .errors import WriteError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # the last chunk: length 0, type, CRC


def _png(tmp: str) -> str | None:
    with open(tmp, "rb") as f:
        head = f.read(8)
        f.seek(max(0, os.path.getsize(tmp) - 12))
        tail = f.read(12)
    if head != PNG_SIGNATURE:
        return "not a PNG image"
    return None if tail == PNG_IEND else "the PNG image is cut short (no IEND chunk)"


def _svg(tmp: str) -> str | None:
    import xml.etree.ElementTree as ET

    try:
        root = ET.parse(tmp).getroot()
    except ET.ParseError as e:
        return f"the SVG is not well-formed ({e})"
    return None if root.tag.endswith("svg") else "not an SVG image"


def _npy(tmp: str) -> str | None:
    import numpy as np

    try:
        np.load(tmp, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError, EOFError) as e:
        return f"the .npy file does not load ({e})"
    return None


def _safetensors(tmp: str) -> str | None:
    size = os.path.getsize(tmp)
    with open(tmp, "rb") as f:
        raw = f.read(8)
        if len(raw) < 8:
            return "the safetensors file is cut short"
        (n,) = struct.unpack("<Q", raw)
        if n > size - 8:
            return "the safetensors header is cut short"
        try:
            header = json.loads(f.read(n))
        except ValueError:
            return "the safetensors header does not parse"
    end = max((v["data_offsets"][1] for k, v in header.items() if k != "__metadata__"), default=0)
    return None if 8 + n + end == size else "the safetensors data is cut short"


def _json(tmp: str) -> str | None:
    try:
        with open(tmp, encoding="utf-8") as f:
            json.load(f)
    except (ValueError, RecursionError) as e:
        return f"the JSON does not parse ({e})"
    return None


CHECKS: dict[str, Callable[[str], str | None]] = {
    ".png": _png, ".svg": _svg, ".npy": _npy, ".safetensors": _safetensors, ".json": _json,
}


def check_file(tmp, target: Path) -> None:
    """Raise WriteError (naming `target`) unless the file at `tmp` is whole."""
    if os.path.isdir(tmp):
        return
    check = CHECKS.get(Path(target).suffix.lower())
    if os.path.getsize(tmp) == 0 and check is not None:
        raise WriteError(f"cannot write {target}: nothing was written (is the disk full?)")
    why = check(os.fspath(tmp)) if check else None
    if why:
        raise WriteError(f"cannot write {target}: {why} (is the disk full?)")
