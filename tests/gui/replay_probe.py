"""Run in a fresh process by test_recording.py: open a recording with model loading forbidden and
write every view's data (tests/gui/view_data.py) to an .npz file. argv: recording, out, layer, head, position."""
from __future__ import annotations

import sys

import numpy as np


def _no_model(*_a, **_k):
    raise SystemExit("replay tried to load a model")


def main(rec_path: str, out: str, layer: int, head: int, position: int) -> None:
    import engine
    import engine.loading

    engine.load_model = engine.loading.load_model = _no_model  # a recording must need no model
    from gui.offscreen import offscreen_app

    app = offscreen_app()
    from gui.lab.lab_widget import LabWidget
    from gui.recording import open_recording
    from tests.gui.view_data import debugger_views, lab_charts

    rec = open_recording(rec_path)
    data = debugger_views(app, rec.store, lambda name: rec.context(name, head, position), layer)
    lab = LabWidget()
    lab.resize(1200, 700)
    lab.show()
    rec.lab.sections.pop("debugger", None)
    lab.controller.run.tokenizer = rec.tokenizer
    lab.restore(rec.lab)
    for _ in range(500):
        app.processEvents()
        if not lab.controller.stagger.pending:
            break
    data.update(lab_charts(lab))
    lab.close()
    np.savez(out, **data)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6]))
