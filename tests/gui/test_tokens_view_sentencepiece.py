"""The tokens view on SentencePiece tokenizers: Step walks the explainer's steps (Unigram lattice
and Viterbi positions, SentencePiece-BPE merges with scores, the ▁ note, Marian's vocab.json
lookup), one list item per step, ending on the real encoding."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

from engine.config import ModelConfig
from engine.loading.build import instantiate
from engine.models import build_model
from engine.tokenizers import load_tokenizer
from engine.tokenizers.explain import explain
from gui import engine_calls
from gui.views.base import StepContext
from gui.views.tokens import TokensView
from tests.engine.random_models import BASE, CONFIGS
from tests.engine.spm_models import FOLDERS, trained_set, write

PROMPT = "the animal 中文 😀"


def _lm(tok):
    import torch

    cfg = ModelConfig(**{**BASE, "vocab_size": tok.vocab_size}, **CONFIGS["llama-gqa"])
    with torch.device("meta"):
        shapes = build_model(cfg).state_dict()
    g = torch.Generator().manual_seed(0)
    model = instantiate(cfg, {k: torch.randn(v.shape, generator=g) * 0.3 for k, v in shapes.items()})
    return SimpleNamespace(model=model, cfg=model.cfg, tokenizer=tok, name="spm")


@pytest.fixture(scope="module")
def trained():
    return trained_set()


# layout, byte fallback, step kinds the walk must show
CASES = [
    ("llama", True, {"sentencepiece", "bpe_start", "bpe_merge", "bpe_done", "post_process", "result"}),
    ("t5", False, {"sentencepiece", "unigram_lattice", "unigram_viterbi", "unigram_best_path", "result"}),
    ("marian-unigram", True, {"unigram_lattice", "unigram_viterbi", "byte_fallback", "vocab_lookup", "result"}),
]


@pytest.mark.parametrize("name, bf, kinds", CASES, ids=[c[0] for c in CASES])
def test_step_button_walks_every_explained_step(qtbot, trained, tmp_path, name, bf, kinds):
    tok = load_tokenizer(write(tmp_path, FOLDERS[name][0](trained, bf)))
    lm = _lm(tok)
    store = engine_calls.run_prompt(lm, PROMPT, None, lambda: False)
    view = TokensView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, "tokens", tokenizer=tok))
    want = explain(tok, PROMPT)
    m = view.table.model()
    assert [int(m.index(r, 2).data()) for r in range(m.rowCount())] == tok.encode(PROMPT).ids
    assert view.step_btn.isEnabled()
    for _ in range(len(want.steps)):
        qtbot.mouseClick(view.step_btn, Qt.LeftButton)
    items = [view.steps_list.item(i).text() for i in range(view.steps_list.count())]
    assert items == [f"{k}. {s.kind}: {s.description}" for k, s in enumerate(want.steps, 1)]
    assert kinds <= {s.kind for s in want.steps}
    assert f"{len(want.steps)} steps" in view.explain_state.text()
    assert items[-1].endswith(f"{len(tok.encode(PROMPT).ids)} token(s)")
    qtbot.mouseClick(view.step_btn, Qt.LeftButton)  # past the end: nothing more, nothing breaks
    assert view.steps_list.count() == len(want.steps)
    if name == "t5":
        lattice = next(i for i in items if ". unigram_lattice:" in i)
        assert "candidate piece(s)" in lattice and "log-probability" in lattice
    if name == "llama":
        assert any("score" in i for i in items if "bpe_merge" in i)


def test_speed_and_show_all(qtbot, trained, tmp_path):
    """Play's pace is chosen (¼× … 10×), and Show all shows every remaining step at once."""
    from gui.views.tokens import SPEEDS, STEP_MS

    tok = load_tokenizer(write(tmp_path, FOLDERS["t5"][0](trained, False)))
    store = engine_calls.run_prompt(_lm(tok), PROMPT, None, lambda: False)
    view = TokensView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, "tokens", tokenizer=tok))
    assert view.timer.interval() == STEP_MS
    view.speed.setCurrentIndex([label for label, _ in SPEEDS].index("4×"))
    assert view.timer.interval() == STEP_MS // 4
    qtbot.mouseClick(view.step_btn, Qt.LeftButton)
    qtbot.mouseClick(view.to_end, Qt.LeftButton)
    want = explain(tok, PROMPT)
    assert [view.steps_list.item(i).text() for i in range(view.steps_list.count())] == \
        [f"{k}. {s.kind}: {s.description}" for k, s in enumerate(want.steps, 1)]
    assert not view.timer.isActive()
