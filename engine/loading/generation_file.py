"""generation_config.json: where transformers keeps a checkpoint's generation settings.

transformers reads a folder's generation_config.json when it has one and then ignores the
generation keys of config.json (it falls back to config.json only without the file), so a
forced BOS / EOS token or decoder start token set there is what `generate` uses. A converter
lists the keys it reads in GENERATION_KEYS; only those are taken from the file.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import ModelLoadError

FILE = "generation_config.json"
# keys whose absence from the file falls back to config.json (transformers: to the bos token)
FALLBACK = ("decoder_start_token_id",)


def with_generation_file(hf: dict, folder: Path, keys: tuple[str, ...]) -> dict:
    """hf with `keys` replaced by generation_config.json's values (absent = None) when it exists."""
    path = folder / FILE
    if not keys or not path.is_file():
        return hf
    try:
        gen = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ModelLoadError(f"{path} cannot be read as JSON: {e}") from None
    if not isinstance(gen, dict):
        raise ModelLoadError(f"{path} must hold a JSON object")
    out = dict(hf)
    for key in keys:
        if key in gen or key not in FALLBACK:
            out[key] = gen.get(key)
    return out
