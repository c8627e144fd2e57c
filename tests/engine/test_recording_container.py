"""engine.recording: one safetensors file whose metadata holds the JSON, written atomically,
read back bit for bit, and every damage one InputError naming the file (no Qt, no model)."""
from __future__ import annotations

import pytest
import torch
from safetensors.torch import save_file

from engine.errors import InputError
from engine.recording import estimate_bytes, read, write


def test_a_recording_round_trips_and_damage_is_one_clear_line(tmp_path):
    tensors = {"a": torch.randn(3, 4), "ids": torch.arange(5), "h": torch.randn(2, 2).to(torch.bfloat16)}
    meta = {"model": "tiny", "steps": [{"name": "a"}], "score": float("-inf")}
    path = write(tmp_path / "r.tplayrec", meta, tensors)
    rec = read(path)
    assert rec.meta["model"] == "tiny" and rec.meta["score"] == float("-inf") and rec.meta["version"] == 1
    assert all(torch.equal(rec.tensor(k), v) for k, v in tensors.items())
    assert abs(estimate_bytes(meta, tensors) - path.stat().st_size) <= 64  # the size said before saving
    with pytest.raises(InputError, match="does not hold"):
        rec.tensor("missing")
    raw = path.read_bytes()
    plain = tmp_path / "plain.tplayrec"
    save_file({"a": torch.zeros(2)}, str(plain))
    cases = {"empty": b"", "cut short": raw[:-3], "bytes after": raw + b"x",
             "no safetensors header": b"\xff" * 64}
    for words, data in cases.items():
        bad = tmp_path / "bad.tplayrec"
        bad.write_bytes(data)
        with pytest.raises(InputError, match=f"cannot open bad.tplayrec: .*{words}"):
            read(bad)
    with pytest.raises(InputError, match="not a Transformer Playground recording"):
        read(plain)
    with pytest.raises(InputError, match="folder"):
        read(tmp_path)
    write(path, {**meta}, tensors)  # over the old file: replaced whole, no temp file left beside it
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
