"""Views draw exactly the traced tensors: GQA kv heads, −∞ masks, cross-attention axes, hover,
logit lens, top-k probabilities; and per-layer capture on demand equals a full capture."""
from types import SimpleNamespace

import numpy as np
from PySide6.QtGui import QFont, QFontMetrics
import pytest
import torch
from PySide6.QtCore import QPointF

from engine import Capture, run
from engine.tokenizers import TextTokenizer
from gui import engine_calls
from gui.views.attention import AttentionView
from gui.views.base import StepContext
from gui.views.logit_lens import LogitLensView
from gui.views.probabilities import ProbabilitiesView
from gui.views.qkv import QKVView
from gui.views.tokens import TokensView
from tests.engine.random_models import random_model

PROMPT = " ".join(f"w{i}" for i in (5, 17, 3, 44, 9, 30, 12))
NEVER = lambda: False  # noqa: E731


def _lm(kind: str):
    from tokenizers import Tokenizer, models, pre_tokenizers

    model = random_model(kind)
    tok = Tokenizer(models.WordLevel({f"w{i}": i for i in range(model.cfg.vocab_size)}, unk_token="w0"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    return SimpleNamespace(model=model, cfg=model.cfg, tokenizer=TextTokenizer(tok), name=kind)


@pytest.fixture(scope="module")
def llama():
    lm = _lm("llama-gqa")
    return lm, engine_calls.run_prompt(lm, PROMPT, None, NEVER, full=True)


def test_gqa_key_view_shows_the_kv_head_serving_the_query_head(qtbot, llama):
    lm, store = llama
    view = QKVView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, "blocks.1.attn.hook_rot_k", head=3, tokenizer=lm.tokenizer))
    rep = lm.cfg.n_heads // lm.cfg.n_kv_heads  # 2 query heads per kv head
    expected = store["blocks.1.attn.hook_rot_k"][0, :, 3 // rep, :].numpy()
    np.testing.assert_array_equal(view.maps["hook_k"].data, expected)
    assert "kv head 1 serves query heads 2–3" in view.note.text()
    np.testing.assert_array_equal(view.maps["hook_q"].data, store["blocks.1.attn.hook_rot_q"][0, :, 3].numpy())


def test_mask_step_shows_minus_infinity(qtbot, llama):
    lm, store = llama
    view = AttentionView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, "blocks.0.attn.hook_attn_masked", head=1, tokenizer=lm.tokenizer))
    data = view.heatmap.data
    n = data.shape[0]
    assert np.isneginf(data[0, 1]) and np.isfinite(data[1, 0])
    assert np.isneginf(data).sum() == n * (n - 1) // 2  # exactly the future positions
    assert "−∞" in view.heatmap.describe(0, 1)
    assert len(view.heatmap._texts) == n * (n - 1) // 2


def test_hover_reports_value_and_tokens(qtbot, llama):
    lm, store = llama
    view = AttentionView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    view.show_step(StepContext(store, "blocks.0.attn.hook_pattern", head=2, tokenizer=lm.tokenizer))
    qtbot.waitExposed(view)
    hm = view.heatmap
    scene = hm.plot.vb.mapViewToScene(QPointF(1.5, 4.5))  # column 1, row 4
    with qtbot.waitSignal(hm.hovered, timeout=3000) as sig:
        hm.scene().sigMouseMoved.emit(scene)
    value = float(store["blocks.0.attn.hook_pattern"][0, 2, 4, 1])
    assert sig.args[0].startswith("query 4 ‘w9’ × key 1 ‘w17’")
    assert f"{value:.6g}" in sig.args[0]


def test_hover_readout_is_cleared_by_a_new_run(qtbot, llama):
    lm, store = llama
    view = AttentionView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    view.show_step(StepContext(store, "blocks.0.attn.hook_pattern", head=2, tokenizer=lm.tokenizer))
    qtbot.waitExposed(view)
    hm = view.heatmap
    with qtbot.waitSignal(hm.hovered, timeout=3000):
        hm.scene().sigMouseMoved.emit(hm.plot.vb.mapViewToScene(QPointF(1.5, 4.5)))
    assert hm.info.text.startswith("query 4")
    other = engine_calls.run_prompt(lm, "w1 w2 w3", None, NEVER, full=True)
    view.show_step(StepContext(other, "blocks.0.attn.hook_pattern", head=2, tokenizer=lm.tokenizer))
    assert hm.data.shape == (3, 3)
    assert hm.info.text == ""  # no readout of the old prompt's cell


def test_cross_attention_puts_source_tokens_on_the_key_axis(qtbot):
    lm = _lm("marian")
    store = engine_calls.run_prompt(lm, PROMPT, None, NEVER, full=True)
    view = AttentionView()
    qtbot.addWidget(view)
    name = "decoder.blocks.0.cross_attn.hook_pattern"
    view.show_step(StepContext(store, name, head=1, tokenizer=lm.tokenizer))
    assert view.heatmap.cols == [f"w{i}" for i in (5, 17, 3, 44, 9, 30, 12)]
    assert view.heatmap.rows == store.target_tokens
    np.testing.assert_array_equal(view.heatmap.data, store[name][0, 1].numpy())
    assert "encoder" in view.note.text()


def test_layer_capture_on_demand_equals_full_capture(llama):
    lm, full = llama
    lazy = engine_calls.run_prompt(lm, PROMPT, "blocks.1.attn.hook_q", NEVER, full=False)
    assert lazy.order == full.order
    assert lazy.missing_layer("blocks.0.attn.hook_pattern") == "blocks.0"
    assert lazy.missing_layer("blocks.1.attn.hook_q") is None  # the cursor's step came with the first pass
    assert lazy.missing_layer("blocks.1.attn.hook_pattern") == "blocks.1"  # ... and only what its view needs
    assert "hook_embed" in lazy and "hook_logits" in lazy
    for key in ("blocks.0", "blocks.1"):
        lazy.merge(engine_calls.capture_layer(lm, lazy, key, NEVER))
    assert lazy.complete
    for name in full.order[1:]:  # recomputed from the kept layer input: the very same bits
        assert torch.equal(lazy[name], full[name]), name


def test_logit_lens_view_shows_engine_lens(qtbot, llama):
    from engine.lens import logit_lens, resid_names

    lm, store = llama
    ref = logit_lens(lm.model, run(lm.model, store.ids, capture=Capture(names=resid_names(lm.model))), k=5)
    view = LogitLensView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, "hook_logits", tokenizer=lm.tokenizer,
                               extra={"lens": engine_calls.logit_lens(lm, store, NEVER)}))
    m = view.model
    assert (m.rowCount(), m.columnCount()) == (lm.cfg.n_layers, len(store.ids))
    top = lm.tokenizer.token_strings([int(ref.top_ids[1, 3, 0])])[0]
    assert m.data(m.index(1, 3)) == f"{top!r} {float(ref.top_probs[1, 3, 0]):.2f}"


def test_probabilities_are_the_softmax_of_the_traced_logits(qtbot, llama):
    lm, store = llama
    view = ProbabilitiesView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, "hook_logits", position=2, tokenizer=lm.tokenizer))
    with torch.no_grad():
        logits = lm.model(torch.tensor([store.ids]))[0]  # the model itself, not the trace
    p, i = torch.softmax(logits[2], -1).topk(10)
    assert view.top["ids"] == i.tolist()
    np.testing.assert_allclose(view.top["probs"], p.detach().numpy(), rtol=1e-5, atol=1e-6)
    # every bar is named, the axis has room for the longest name, and probability stays on 0..1
    left = view.plot.getAxis("left")
    names = [lb for _, lb in left._tickLevels[0]]
    assert names == [repr(t) for t in lm.tokenizer.token_strings(i.tolist())]  # short tokens: whole
    fm = QFontMetrics(QFont())
    assert left.width() >= max(fm.horizontalAdvance(n) for n in names)
    lo, hi = view.plot.viewRange()[0]
    assert lo == 0 and 1 <= hi < 1.1
    assert max(v for v, _ in view.plot.getAxis("bottom")._tickLevels[0]) == 1


def test_tokens_view_lists_ids_and_bytes(qtbot, tiny_gpt, loaded_gpt):
    lm = loaded_gpt
    text = "je suis étudiant"
    store = engine_calls.run_prompt(lm, text, None, NEVER)
    view = TokensView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, "tokens", tokenizer=lm.tokenizer))
    enc = lm.tokenizer.tok.encode(text)
    m = view.table.model()
    assert m.rowCount() == len(enc.ids)
    assert [int(m.index(r, 2).data()) for r in range(len(enc.ids))] == enc.ids
    if "ByteLevel" in repr(lm.tokenizer.tok.pre_tokenizer):  # the pieces' bytes are the text's bytes
        cells = "".join(m.index(r, 3).data().replace(" ", "") for r in range(len(enc.ids)))
        assert bytes.fromhex(cells) == text.encode("utf-8")


def test_a_character_split_into_byte_tokens_gets_one_range_mark():
    from gui.views.tokens import TokensView

    # "a😀b": the emoji is three byte tokens (1, 2, 3) that all map to the same character
    shown = TokensView._html("a😀b", [(0, 1), (1, 2), (1, 2), (1, 2), (2, 3)], ["a", "?", "?", "?", "b"])
    assert shown.count("<sub") == 1 and ">1–3</sub>" in shown
    assert shown.index("😀") < shown.index("1–3") < shown.index(">b<")


def test_byte_pieces_of_a_character_show_their_bytes_not_a_replacement_mark(qtbot, loaded_gpt):
    import re

    from PySide6.QtCore import Qt

    from gui.views.tokens import readable

    assert readable("我".encode()[:2]) == "‹0xE6›‹0x88›" and readable(" 我".encode()) == " 我"
    assert readable(b"a" + "😀".encode()[:1]) == "a‹0xF0›"
    lm = loaded_gpt
    store = engine_calls.run_prompt(lm, "merci 😀 我是", None, NEVER)
    split = [r for r, t in enumerate(store.tokens) if "\ufffd" in t]
    assert split, store.tokens  # the byte-level tokenizer splits the emoji and the CJK into bytes
    view = TokensView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, "tokens", tokenizer=lm.tokenizer))
    m = view.table.model()
    for r in range(m.rowCount()):
        shown, hexes = m.index(r, 1).data(), m.index(r, 3).data()
        assert "\ufffd" not in shown
        assert repr(store.tokens[r]) in m.index(r, 1).data(Qt.ToolTipRole)  # the real token string
        if r in split:
            marks = re.findall(r"‹0x([0-9A-F]{2})›", shown)
            assert marks and all(m.lower() in hexes.split() for m in marks)
        else:
            assert shown == store.tokens[r]


def test_a_long_matrix_says_how_to_zoom_and_a_short_one_does_not(qtbot, llama, monkeypatch):
    from gui.views.heatmap import ZOOM_HINT, ZOOM_ROWS
    from tests.engine import random_models

    lm, short = llama
    name = "blocks.0.attn.hook_pattern"
    view = AttentionView()
    qtbot.addWidget(view)
    view.show_step(StepContext(short, name, tokenizer=lm.tokenizer))
    assert view.heatmap.data.shape[0] <= ZOOM_ROWS and ZOOM_HINT not in view.note.text()
    monkeypatch.setitem(random_models.BASE, "n_ctx", 2 * ZOOM_ROWS)  # room for a long prompt
    lm = _lm("llama-gqa")
    text = " ".join(f"w{i % lm.cfg.vocab_size}" for i in range(ZOOM_ROWS + 36))
    long = engine_calls.run_prompt(lm, text, None, NEVER, full=True)
    view.show_step(StepContext(long, name, tokenizer=lm.tokenizer))
    assert view.heatmap.data.shape[0] > ZOOM_ROWS and ZOOM_HINT in view.note.text()
    qkv = QKVView()
    qtbot.addWidget(qkv)
    qkv.show_step(StepContext(long, "blocks.0.attn.hook_q", tokenizer=lm.tokenizer))
    assert ZOOM_HINT in qkv.note.text()
    qkv.show_step(StepContext(short, "blocks.0.attn.hook_q", tokenizer=lm.tokenizer))
    assert ZOOM_HINT not in qkv.note.text()


def test_wheel_zooms_the_heatmap_its_labels_follow_and_a_double_click_resets(qtbot):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    view = AttentionView()
    qtbot.addWidget(view)
    view.resize(700, 600)
    view.show()
    qtbot.waitExposed(view)
    h, n = view.heatmap, 300
    labels = [f"t{i}" for i in range(n)]
    h.set_matrix(np.random.default_rng(0).random((n, n)), labels, labels)
    vb = h.plot.vb
    assert not vb.menuEnabled()
    full = [list(r) for r in vb.viewRange()]
    assert full == [[0, n], [0, n]]
    centre = h.mapFromScene(vb.mapViewToScene(QPointF(n / 2, n / 2)))
    for _ in range(12):
        QApplication.sendEvent(h.viewport(), QWheelEvent(
            QPointF(centre), QPointF(h.mapToGlobal(centre)), QPoint(0, 0), QPoint(0, 120),
            Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False))
    (x0, x1), (y0, y1) = vb.viewRange()
    assert y1 - y0 < n / 4 and x1 - x0 < n / 4  # zoomed in
    ticks = h.plot.getAxis("left")._tickLevels[0]
    rows = [int(v - 0.5) for v, _ in ticks]
    assert rows == list(range(int(y0), int(np.ceil(y1))))  # every row in view is labelled
    assert [t for _, t in ticks] == [labels[r] for r in rows]
    qtbot.mouseDClick(h.viewport(), Qt.LeftButton, pos=centre)
    qtbot.mouseRelease(h.viewport(), Qt.LeftButton, pos=centre)  # as a real double-click ends
    qtbot.waitUntil(lambda: [list(r) for r in vb.viewRange()] == full)


def test_closing_a_heatmap_that_holds_data_is_safe(qtbot):
    from gui.views.heatmap import Heatmap

    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.show()
    hm.set_matrix(np.arange(12, dtype=np.float32).reshape(3, 4), ["a", "b", "c"], ["w", "x", "y", "z"])
    hm.close()  # used to segfault: a resize after the scene was cleared relabelled deleted axes
    hm.resize(300, 200)
    assert hm.is_closed
