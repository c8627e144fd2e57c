"""The decoding lab: live next-token charts, processor stages, beam tree, translation, masked
fill, head interventions and training, docked into the debugger window by `install_lab(win)`.
"""
from __future__ import annotations


def install_lab(win):
    """Add the lab to a MainWindow as one dock (bottom), a Lab menu, and wire it to the session.

    The lab shares the session's worker thread (engine calls on one model must not overlap)
    and follows the model the debugger loads. Clicking a beam-tree node runs that text in the
    debugger, so its attention views show the new token's step. What the user set in the lab
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
    dock = win.add_dock("Decoding lab", area, Qt.BottomDockWidgetArea)
    win.lab = lab
    menu = win.menuBar().addMenu("&Lab")
    menu.addAction(dock.toggleViewAction())
    menu.addAction("Save lab session…", lab.save_dialog)
    menu.addAction("Open lab session…", lab.open_dialog)
    win.session.modelLoading.connect(lab.model_changing)  # stop lab work now: the load queues behind it
    win.session.modelFailed.connect(lambda _msg: lab.controller.model_failed())
    win.session.modelChanged.connect(lambda lm: lab.set_model(lm))

    def open_node(node) -> None:
        ctl = lab.controller
        if ctl.lm is None or not ctl.lm.model.generates or ctl.lm.model.has_encoder:
            return
        text = ctl.panel.prompt.text() + ctl.lm.tokenizer.decode(list(node.path))
        win.prompt.set_text(text)
        win.session.run(text)

    lab.tree.nodeClicked.connect(open_node)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(lab.shutdown)
    return lab
