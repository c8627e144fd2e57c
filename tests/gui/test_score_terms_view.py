"""The attention view draws the score terms a layer adds to q·kᵀ (DeBERTa's c2p / p2c) beside it,
exactly the traced tensors, and shows no such strip for a model without them."""
from types import SimpleNamespace

import numpy as np
from tokenizers import Tokenizer, models, pre_tokenizers

from engine.tokenizers import TextTokenizer
from gui import engine_calls
from gui.views.attention import AttentionView
from gui.views.base import StepContext
from tests.engine.random_models import random_model

PROMPT = " ".join(f"w{i}" for i in (5, 17, 3, 44, 9, 30, 12))


def _store(kind: str):
    model = random_model(kind)
    tok = Tokenizer(models.WordLevel({f"w{i}": i for i in range(model.cfg.vocab_size)}, unk_token="w0"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    lm = SimpleNamespace(model=model, cfg=model.cfg, tokenizer=TextTokenizer(tok), name=kind)
    return lm, engine_calls.run_prompt(lm, PROMPT, None, lambda: False, full=True)


def test_c2p_and_p2c_are_drawn_beside_the_raw_scores(qtbot):
    lm, store = _store("deberta-like")
    view = AttentionView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, "blocks.1.attn.hook_pattern", head=2, tokenizer=lm.tokenizer))
    assert not view.parts_host.isHidden()
    for kind in ("hook_attn_scores", "hook_c2p", "hook_p2c"):
        np.testing.assert_array_equal(view.parts[kind].data, store[f"blocks.1.attn.{kind}"][0, 2].numpy())
    view.show_step(StepContext(store, "blocks.1.attn.hook_c2p", head=2, tokenizer=lm.tokenizer))
    assert view.parts["hook_c2p"].full_title.startswith("▶ ")
    assert "content → position" in view.note.text()


def test_no_score_terms_strip_without_terms(qtbot):
    lm, store = _store("bert-mlm")
    view = AttentionView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, "blocks.0.attn.hook_pattern", head=0, tokenizer=lm.tokenizer))
    assert view.parts_host.isHidden() and not view.parts
