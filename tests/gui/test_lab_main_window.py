"""The lab inside the debugger window: docked, follows the loaded model, and a click on a beam
node runs the text before it in the debugger (so its last position is the step that chose the
node), keeping the user's own prompt."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from gui.main_window import MainWindow

WAIT = 60000
PROMPT = "The animal didn't cross"


def test_beam_node_click_opens_the_step_that_chose_it(qtbot, tiny_gpt, tmp_path):
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
    own = "my own debugger prompt"
    win.prompt.set_text(own)
    node = next(n for n in lab.tree.model.nodes.values() if len(n.path) == 2 and n.status == "kept")
    item = lab.tree.items[node.path]
    view = lab.tree.view
    view.ensureVisible(item)
    pos = view.mapFromScene(item.sceneBoundingRect().center())
    with qtbot.waitSignal(win.session.traceChanged, timeout=WAIT):
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=pos)
    text = PROMPT + win.session.lm.tokenizer.decode(list(node.path[:-1]))  # the prefix before the node
    assert win.prompt.text() == text
    assert win.session.store.prompt == text
    # the run's last position is the step that chose the node: its top choice... or at least its token
    logits = win.session.store["hook_logits"][0, -1]
    chosen = node.path[-1]
    assert int((logits > logits[chosen]).sum()) < lab.panel.beams.value() * 2  # among the beam's candidates
    assert "your prompt is kept" in win.prompt.state.text() and win.prompt.back_btn.isVisible()
    assert win.prompt.own_text() == own
    win.started = True  # as after start(): the prompt is saved from now on
    win.save_settings()
    assert win.settings.value("prompt") == own  # the user's prompt is what is remembered
    win.prompt.back_btn.click()
    assert win.prompt.text() == own and not win.prompt.back_btn.isVisible()
