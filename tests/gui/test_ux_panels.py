"""Panels at real sizes: the attention grid of a 30-layer × 9-head model keeps readable cells
with labels centred on their rows and counts layers as they fill; the Lines view of a 2,000-token
prompt shows a window it names; chart titles fit their charts; FFN neuron labels do not overlap."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFontMetrics

from gui import engine_calls
from gui.views import grid_canvas
from gui.views.attention_grid import AttentionGridView
from gui.views.attention_lines import ROW_PX, AttentionLines
from gui.views.base import StepContext
from gui.views.ffn import FFNView

LAYERS, HEADS, S = 30, 9, 48  # smollm2-135m's attention


def _thumbs(n_layers: int):
    rng = np.random.default_rng(0)
    return [(f"blocks.{i}.attn.hook_pattern", rng.random((HEADS, S, S)).astype(np.float32)) for i in range(n_layers)]


def test_grid_of_30_layers_keeps_readable_aligned_cells_and_shows_progress(qtbot):
    grid = AttentionGridView()
    qtbot.addWidget(grid)
    grid.resize(420, 360)
    grid.show()
    qtbot.waitExposed(grid)
    full = _thumbs(LAYERS)
    order = ["hook_embed"] + [n for n, _ in full] + ["hook_logits"]
    grid.mark_stale(order)
    assert grid.progress.isVisible() and (grid.progress.value(), grid.progress.maximum()) == (0, LAYERS)
    store = SimpleNamespace(order=order)
    part = full[:10]
    grid.show_step(StepContext(store, "blocks.25.attn.hook_pattern", head=7,
                               extra={"thumbs": part, "thumbs progress": "layer 10/30"}))
    assert grid.progress.isVisible() and grid.progress.value() == 10
    grid.show_step(StepContext(store, "blocks.25.attn.hook_pattern", head=7, extra={"thumbs": full}))
    assert not grid.progress.isVisible() and grid.names == [n for n, _ in full]
    c = grid.canvas
    assert c.pitch - grid_canvas.GAP >= grid_canvas.MIN_CELL  # not the 10 px of a squeezed mosaic
    assert c.verticalScrollBar().maximum() > 0  # the rest scrolls
    # the selected head is framed and scrolled into view
    assert c.selected == (25, 7)
    r = c.cell_rect(25, 7).translated(c.label_w - c.horizontalScrollBar().value(),
                                      grid_canvas.HEAD_H - c.verticalScrollBar().value())
    assert c.viewport().rect().contains(r)
    # what is painted: a cell's pixels are its thumbnail through the colour map; its label sits on its row
    img = c.viewport().grab().toImage()
    dpr = img.devicePixelRatio()
    lut = grid_canvas._lut()
    for (i, j) in ((0, 0), (20, 31), (47, 47)):
        px = c.pitch - grid_canvas.GAP
        x, y = r.x() + (j + 0.5) * px / S, r.y() + (i + 0.5) * px / S
        got = img.pixelColor(int(x * dpr), int(y * dpr))
        t = full[25][1][7]
        near = t[max(i - 1, 0):i + 2, max(j - 1, 0):j + 2] / t.max()  # a cell under 48 px samples its pixels
        want = lut[np.round(near * 255).astype(int)].reshape(-1, 3)
        assert (np.abs(want - [got.red(), got.green(), got.blue()]).max(1) <= 1).any()
    for row in range(LAYERS):
        cell = c.cell_rect(row, 0)
        assert abs(c.row_centre(row) - cell.center().y()) <= 1  # the label row is the cell row
    # a click on a cell opens that head
    with qtbot.waitSignal(grid.headClicked) as got:
        qtbot.mouseClick(c.viewport(), Qt.LeftButton, pos=r.center())
    assert got.args == [full[25][0], 7]
    out = grid.whole_size()
    assert out[1] >= LAYERS * c.pitch  # an export holds every row
    grid.mark_stale(order, {"thumbs": full})  # the new run's own thumbnails came first: not stale
    assert not grid.stale and not grid.progress.isVisible()
    grid.mark_stale(order, {})  # they are still to come: the drawn ones are the previous run's
    assert grid.stale and "previous run" in grid.note.text() and grid.progress.isVisible()


def test_lines_view_at_2000_tokens_shows_a_named_window(qtbot):
    n, sel = 2000, 1500
    rng = np.random.default_rng(1)
    s = rng.normal(size=(n, n)).astype(np.float32)
    s[np.triu_indices(n, 1)] = -np.inf
    s[:, 0] += 6  # an attention sink at token 0
    p = np.exp(s - s.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    toks = [f"t{i}" for i in range(n)]
    v = AttentionLines()
    qtbot.addWidget(v)
    v.resize(700, 500)
    v.show()
    v.set_pattern(p, toks, toks, sel)
    a, b = v.q_shown[0], v.q_shown[-1]
    assert a <= sel <= b and v.q_shown == list(range(a, b + 1))
    assert (v.height() - 46) / len(v.q_shown) >= ROW_PX - 1  # rows readable, not 2,000 in 500 px
    assert 0 in v.k_shown  # the sink outside the window is kept
    np.testing.assert_allclose(v.others, 1 - p[sel, v.k_shown].sum(), atol=1e-5)
    assert v.note.startswith(f"showing tokens {a}–{b} of {n}")
    y = v._y(v.q_shown.index(sel), len(v.q_shown))
    assert v.query_at(y) == sel
    v.set_pattern(p[:20, :20], toks[:20], toks[:20], 3)  # a short prompt: all of it, no note
    assert v.q_shown == list(range(20)) and v.note == ""


def test_ffn_titles_fit_and_neuron_labels_do_not_overlap(qtbot, loaded_gpt):
    lm = loaded_gpt
    store = engine_calls.run_prompt(lm, "The animal didn't cross the street because it was too tired", None,
                                    lambda: False, full=True)
    view = FFNView()
    qtbot.addWidget(view)
    view.resize(480, 560)
    view.show()
    qtbot.waitExposed(view)
    view.show_step(StepContext(store, "blocks.1.mlp.hook_post", position=3, tokenizer=lm.tokenizer))
    shown = [h for h in view.row.maps if not h.isHidden()]
    assert len(shown) >= 2
    for h in shown:
        fm = QFontMetrics(h.title.item.font())
        assert fm.horizontalAdvance(h.title.text) <= h.width()
        assert h.title.text.endswith(h.full_title.rsplit(".", 1)[-1][-6:])  # the hook's kind stays readable
    assert any(h.title.text != h.full_title for h in shown), [(h.width(), h.title.text) for h in shown]
    row = store["blocks.1.mlp.hook_post"][0, 3].numpy()
    assert [i for i, _ in view.top_neurons] == list(np.argsort(-row)[:10])
    fm = view.neurons.fontMetrics()
    seen = set()
    for size in ((480, 560), (900, 300), (420, 1000)):  # the inspector's shapes: squat, wide, tall
        view.resize(*size)
        qtbot.waitUntil(lambda: view.neurons.getPlotItem().vb.width() > 0)
        vb = view.neurons.getPlotItem().vb
        seen.add(view.neuron_bars)
        horizontal = view.neuron_bars == "horizontal"
        at = [vb.mapViewToScene(QPointF(0, k) if horizontal else QPointF(k, 0)) for k, _ in view.neuron_ticks]
        gaps = np.abs(np.diff([p.y() if horizontal else p.x() for p in at]))
        need = fm.height() if horizontal else max(fm.horizontalAdvance(t) for _, t in view.neuron_ticks)
        assert (gaps >= need).all(), (size, view.neuron_bars, gaps, need)  # no two labels overlap
        if horizontal:
            assert len(view.neuron_ticks) == 10  # every neuron named
    assert seen == {"horizontal", "vertical"}
