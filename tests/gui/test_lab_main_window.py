"""The lab inside the debugger window: docked, follows the loaded model, and a click on a beam
node runs that text in the debugger (so its views show the new token's step)."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from gui.main_window import MainWindow

WAIT = 60000
PROMPT = "The animal didn't cross"


def test_beam_node_click_opens_the_step_in_the_debugger(qtbot, tiny_gpt, tmp_path):
    win = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(win)
    win.show()
    assert "Decoding lab" in win.docks
    with qtbot.waitSignal(win.session.modelChanged, timeout=WAIT):
        win.session.load_model(tiny_gpt, "cpu", "float32")
    lab = win.lab
    assert lab.controller.lm is win.session.lm
    win.docks["Decoding lab"].show()
    win.resizeDocks([win.docks["Decoding lab"]], [600], Qt.Vertical)
    lab.show_tab("beam tree")
    lab.panel.prompt.setText(PROMPT)
    lab.panel.strategy.setCurrentText("beam")
    lab.panel.beams.setValue(2)
    lab.panel.max_new.setValue(2)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.panel.gen_btn.click()
    node = next(n for n in lab.tree.model.nodes.values() if len(n.path) == 1 and n.status == "kept")
    item = lab.tree.items[node.path]
    view = lab.tree.view
    view.ensureVisible(item)
    pos = view.mapFromScene(item.sceneBoundingRect().center())
    with qtbot.waitSignal(win.session.traceChanged, timeout=WAIT):
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=pos)
    text = PROMPT + win.session.lm.tokenizer.decode(list(node.path))
    assert win.prompt.text() == text
    assert win.session.store.prompt == text
