"""A model without a language-model head (a tiny random BertModel packaged like
all-MiniLM-L6-v2: mean pooling, Normalize) in the real main window: the Output view shows the
final hidden state under its name, the pooled sentence embedding and the cosine similarity with
a second prompt; and no view or label anywhere calls a hidden state token probabilities, next
tokens or logits. Reference values: transformers' BertModel on the same folder, pooled by hand."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QDockWidget, QLabel, QTabBar, QTableView, QTableWidget

from gui.main_window import MainWindow
from tests.engine.sentence_models import headless_bert
from tests.gui.test_main_window import LOAD_MS, _load, _type_and_run

PROMPT = "the dog crossed the street because it was too tired ."
# what would present the hidden state as a prediction over tokens …
CLAIMS = re.compile(r"next[- ]token|token probabilit|probabilities|logits?\b|softmax of the logit", re.I)
# … unless the text says that this model has none
SAYS_NONE = re.compile(r"no language-model head")
LAB = "Decoding lab"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    f = tmp_path_factory.mktemp("headless-bert")
    return f, headless_bert(f)


@pytest.fixture
def win(qtbot, folder, tmp_path):
    w = MainWindow(settings=QSettings(str(tmp_path / "tplay.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.session.infoReady, timeout=LOAD_MS):
        w.start()
    w.model_panel.device.setCurrentText("cpu")
    _load(qtbot, w, str(folder[0]))
    yield w
    w.close()


def _texts(w, skip=None) -> list[str]:
    """Every text a user can read in the window (but inside `skip`): labels, buttons, dock and
    tab titles, table headers and cells, plot titles and axis labels."""
    import pyqtgraph as pg

    def shown(x):
        return x.isVisible() and (skip is None or not skip.isAncestorOf(x))

    out = [d.windowTitle() for d in w.findChildren(QDockWidget) if shown(d)]
    for lb in w.findChildren(QLabel):
        if shown(lb):
            out.append(lb.text())
    out += [b.text() for b in w.findChildren(QAbstractButton) if shown(b)]
    for bar in w.findChildren(QTabBar):
        if shown(bar):
            out += [bar.tabText(i) for i in range(bar.count())]
    for t in w.findChildren(QTableView):
        m = t.model()
        if shown(t) and m is not None:
            out += [str(m.headerData(c, Qt.Horizontal)) for c in range(m.columnCount())]
            out += [str(m.data(m.index(r, c))) for r in range(min(m.rowCount(), 20)) for c in range(m.columnCount())]
    for pw in w.findChildren(pg.PlotWidget):
        if shown(pw):
            item = pw.getPlotItem()
            out.append(item.titleLabel.text)
            out += [item.getAxis(a).labelText for a in ("left", "bottom")]
    return [t for t in out if t]


def test_output_shows_the_final_hidden_state_and_sentence_similarity(qtbot, win, folder):
    ref = folder[1]
    lm = win.session.lm
    assert lm.cfg.lm_head == "none"
    out = win.output
    with qtbot.waitSignal(out.hidden.compared, timeout=LOAD_MS):
        _type_and_run(qtbot, win, PROMPT)
    note = out.note.text()
    assert "no language-model head" in note and "final hidden state (blocks.1.hook_resid_post" in note
    assert "no token probabilities" in note
    assert out.hidden.isVisible() and not out.widget.isVisible()
    ids = torch.tensor([lm.tokenizer.encode(PROMPT).ids])
    with torch.no_grad():
        h = ref(ids).last_hidden_state  # [1, pos, 32]
    np.testing.assert_allclose(out.hidden.hidden, h[0, -1].numpy(), rtol=0, atol=1e-4)
    want = F.normalize(h.mean(1), dim=1)[0]  # sentence-transformers: mean pooling, then Normalize
    np.testing.assert_allclose(out.hidden.embedding, want.numpy(), rtol=0, atol=1e-5)
    assert "mean over the tokens, then L2-normalised" in out.hidden.embed_note.text()
    second = out.hidden.second.text()
    ids2 = torch.tensor([lm.tokenizer.encode(second).ids])
    with torch.no_grad():
        want2 = F.normalize(ref(ids2).last_hidden_state.mean(1), dim=1)[0]
    cos = float(want @ want2)
    assert out.hidden.comparison.similarity == pytest.approx(cos, abs=1e-5)
    assert f"{cos:.4f}" in out.hidden.similarity.text()
    # a new second prompt, typed and entered: compared again, off the UI thread
    out.hidden.second.setText("a cat sat on the mat")
    with qtbot.waitSignal(out.hidden.compared, timeout=LOAD_MS) as sig:
        out.hidden.compare_btn.click()
    ids3 = torch.tensor([lm.tokenizer.encode("a cat sat on the mat").ids])
    with torch.no_grad():
        want3 = F.normalize(ref(ids3).last_hidden_state.mean(1), dim=1)[0]
    assert sig.args[0].similarity == pytest.approx(float(want @ want3), abs=1e-5)


def test_no_view_calls_a_hidden_state_token_probabilities(qtbot, win):
    _type_and_run(qtbot, win, PROMPT)
    s = win.session
    qtbot.waitUntil(lambda: "final hidden state" in win.output.note.text(), timeout=LOAD_MS)
    lab_dock = win.docks[LAB]
    seen = {}
    for name in s.store.order:  # every step, each in its view
        s.goto(name)
        qtbot.waitUntil(lambda: s.current_name() == name and not s.busy, timeout=LOAD_MS)
        texts = _texts(win, skip=lab_dock)
        for t in texts:
            if CLAIMS.search(t) and not SAYS_NONE.search(t) and t != "Logit lens":
                seen.setdefault(t, name)
        assert any("final hidden state" in t for t in texts)
    assert not seen, "\n".join(f"{n}: {t}" for t, n in seen.items())
    # the Logit lens dock keeps its name, and says there is no lens for this model
    assert "no language-model head" in win.lens.note.text() and win.lens.model.rowCount() == 0
    # the lab: the model fills no masks and generates nothing, so its next-token chart stays empty
    lab = win.lab
    errors = []
    lab.controller.runFailed.connect(errors.append)
    lab.panel.next_btn.click()
    qtbot.waitUntil(lambda: errors or not lab.controller.busy, timeout=LOAD_MS)
    assert not lab.bars.ids
    with qtbot.waitSignal(lab.masked.filled, timeout=LOAD_MS):
        lab.masked.go.click()
    assert "no masked-LM head" in lab.masked.why.text() and lab.masked.table.rowCount() == 0
