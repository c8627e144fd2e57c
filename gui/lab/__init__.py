"""The decoding lab: live next-token charts, processor stages, beam tree, translation, masked
fill, head interventions and training, docked into the debugger window by `install_lab(win)`.
"""
from __future__ import annotations

from ..i18n import N_, tr

DOCK = N_("Decoding lab")


def install_lab(win):
    """Add the lab to a MainWindow as one dock (bottom), a Lab menu, and wire it to the session.

    The lab shares the session's worker thread (engine calls on one model must not overlap)
    and follows the model the debugger loads. Clicking a beam-tree node runs the debugger on the
    text *before* the node's token, so its last position shows the step that chose the node (its
    distribution and attention); the user's prompt is kept and can be put back. What the user set in the lab
    is restored from the window's QSettings now and saved with the window's settings.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QScrollArea

    from .lab_widget import LabWidget
    lab = LabWidget(jobs=win.session.jobs)
    lab.restore_settings(win.settings)
    win.settingsSaving.connect(lab.save_settings)
    lab.errorShown.connect(win.show_error)  # a damaged session or an unwritable save: a dialog too
    # in a scroll area, the lab's controls no longer set the window's minimum height (at ~960 px
    # the window sat at its minimum, so any label growing by a line resized and repainted it all)
    area = QScrollArea()
    area.setWidget(lab)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.NoFrame)
    dock = win.docks.get(DOCK)  # a window that opened the lab after its first view made the dock then
    if dock is None:
        dock = win.add_dock(DOCK, area, Qt.BottomDockWidgetArea)
    else:
        placeholder = dock.widget()
        dock.setWidget(area)
        if placeholder is not None:
            placeholder.deleteLater()
    win.lab = lab
    from ..debugger_place import DebuggerSection, model_gate

    lab.sections["debugger"] = DebuggerSection(win)  # a session holds the debugger's place too
    lab.model_gate = model_gate(win)  # a session opens on its own model
    menu = getattr(win, "lab_menu", None) or win.menuBar().addMenu(tr("&Lab"))
    menu.addAction(dock.toggleViewAction())
    menu.addAction(tr("Save lab session…"), lab.save_dialog)
    menu.addAction(tr("Open lab session…"), lab.open_dialog)
    win.session.modelLoading.connect(lab.model_changing)  # stop lab work now: the load queues behind it
    win.session.modelFailed.connect(lambda _msg: lab.controller.model_failed())
    win.session.modelChanged.connect(lambda lm: lab.set_model(lm))
    if win.session.lm is not None:  # installed after the first model loaded
        lab.set_model(win.session.lm)

    def open_node(node) -> None:
        ctl = lab.controller
        if ctl.lm is None or not ctl.lm.model.generates or ctl.lm.model.has_encoder:
            return
        text = ctl.panel.prompt.text() + ctl.lm.tokenizer.decode(list(node.path[:-1]))
        why = tr("the step that chose ‘{token}’ (beam node at step {step})").format(token=node.text, step=len(node.path))
        win.prompt.replace_text(text, tr("showing {what}").format(what=why))
        win.inspector.position.setValue(-1)  # the last position: where that choice was made
        win.say(tr("debugger: {what}; the lab's prompt plus the node's prefix, its last position predicts the node")
                .format(what=why))
        win.session.run(text)

    lab.tree.nodeClicked.connect(open_node)

    def from_debugger() -> None:
        lab.panel.prompt.setText(win.prompt.own_text())
        lab.panel.say(tr("the lab's prompt is now the debugger's"))

    lab.panel.from_debugger.clicked.connect(from_debugger)
    lab.panel.from_debugger.show()
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(lab.shutdown)
    return lab
