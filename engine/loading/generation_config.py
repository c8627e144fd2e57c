"""What a checkpoint's generation config changes in the numbers of `generate`: forced tokens.

transformers reads generation_config.json when the folder has one, else the same keys of
config.json (GenerationConfig.from_model_config). Of its settings only these change which
tokens come out for given decoding options: the forced first token (forced_bos_token_id),
the forced last token (forced_eos_token_id), banned token sequences (bad_words_ids: every
opus-mt model bans its pad token) and the decoder's start token. Beam width, length
penalty and the like are defaults for options the user chooses here.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..config import ModelConfig

FILE = "generation_config.json"
FORCED = ("forced_bos_token_id", "forced_eos_token_id")


def _read(folder: Path) -> dict | None:
    path = folder / FILE
    if not path.is_file():
        return None
    try:
        gen = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None  # unreadable: fall back to config.json's keys, as a missing file would
    return gen if isinstance(gen, dict) else None


def _token(v, cfg: ModelConfig):
    """An id (or, for forced_eos_token_id, a list of ids) inside the vocabulary; else None."""
    def ok(x):
        return isinstance(x, int) and not isinstance(x, bool) and 0 <= x < cfg.vocab_size

    if isinstance(v, list) and v and all(ok(x) for x in v):
        return v[0] if len(v) == 1 else list(v)
    return v if ok(v) else None


def apply_generation_config(cfg: ModelConfig, folder: Path, hf: dict) -> None:
    """Set cfg's forced tokens (and the decoder start token the generation config names)."""
    gen = _read(folder)
    src = gen if gen is not None else hf
    for key in FORCED:
        value = src.get(key)
        token = _token(value, cfg)
        setattr(cfg, key, token if key == "forced_eos_token_id" or not isinstance(token, list) else None)
        if value is not None and getattr(cfg, key) is None:
            cfg.extra.setdefault("notes", []).append(f"{key} {value!r} is not a token of this model; ignored")
    bad = src.get("bad_words_ids")
    if bad is not None:
        ok = isinstance(bad, list) and all(isinstance(b, list) and b and _token(b, cfg) is not None for b in bad)
        cfg.bad_words_ids = [list(b) for b in bad] if ok else None
        if not ok:
            cfg.extra.setdefault("notes", []).append(f"bad_words_ids {bad!r} are not token sequences of this model; ignored")
    if gen is not None and cfg.family == "encoder-decoder" and _token(gen.get("decoder_start_token_id"), cfg) is not None:
        cfg.decoder_start_token_id = gen["decoder_start_token_id"]
