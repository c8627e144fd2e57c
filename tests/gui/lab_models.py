"""Models for the lab tests: the bundled ones when present, else small stand-ins with tokenizers.

tiny-translator falls back to the lab's own micro translator (40 training steps, saved as a
model folder and loaded through load_model, so it is a real encoder-decoder with a tokenizer).
"""
from __future__ import annotations

from pathlib import Path

import pytest

MODELS = Path(__file__).resolve().parents[2] / "resources" / "models"


@pytest.fixture(scope="session")
def loaded_translator(tmp_path_factory):
    from engine import load_model

    if (MODELS / "tiny-translator" / "config.json").is_file():
        return load_model("tiny-translator", device="cpu")
    from gui.lab.training_calls import build_micro, save_micro

    run = build_micro(steps=40)
    run.trainer.run()
    folder = save_micro(run, tmp_path_factory.mktemp("micro-translator"))
    return load_model(str(folder), device="cpu")


class ForwardCounter:
    """Counts forward passes: a forward pre-hook on every token-embedding hook point (each pass,
    full or cached, decoder or encoder, goes through one)."""

    def __init__(self, model):
        self.n = 0
        self.handles = [hp.register_forward_pre_hook(self._hook)
                        for name, hp in model.hook_points.items() if name.endswith("hook_embed")]
        assert self.handles, "the model has no hook_embed to count passes with"

    def _hook(self, module, args):
        self.n += 1

    def close(self):
        for h in self.handles:
            h.remove()
