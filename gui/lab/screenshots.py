"""Screenshots of the lab's views from the real debugger window (docs/screenshots/lab_*.png).

    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python -m gui.lab.screenshots docs/screenshots

Loads real models (smollm2-135m for sampling / beams / ablation, tiny-translator for the
cross-attention, minilm-l6 for masked fill), runs each view and grabs the whole window.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from ..qt_wait import pump, wait

GPT = "smollm2-135m"


def main(out: str) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from gui.main_window import MainWindow

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp()
    win = MainWindow(settings=QSettings(f"{tmp}/s.ini", QSettings.IniFormat), autoload=False)
    win.resize(1600, 1000)
    win.show()
    lab = win.lab
    dock = win.docks["Decoding lab"]
    for name in ("Output", "Attention grid", "Logit lens", "Pipeline", "Model and device", "Prompt"):
        win.docks[name].hide()
    win.resizeDocks([dock], [760], Qt.Vertical)

    def load(name: str):
        win.session.load_model(name, "cpu", "float32")
        if not wait(win.session.modelChanged):
            raise SystemExit(f"could not load {name}")
        if win.session.busy:
            wait(win.session.busyChanged)

    def shot(name: str) -> None:
        pump(0.3)
        path = out_dir / f"lab_{name}.png"
        win.grab().scaled(1280, 800, Qt.KeepAspectRatio, Qt.SmoothTransformation).save(str(path))
        print(f"wrote {path}")

    def generate(n: int) -> None:
        lab.panel.max_new.setValue(n)
        lab.panel.n.setValue(n)
        lab.panel.gen_btn.click()
        wait(lab.controller.runFinished)

    load(GPT)
    lab.panel.prompt.setText("Once upon a time, there was a little robot who")
    lab.panel.strategy.setCurrentText("sample")
    lab.panel.knobs["temperature"].setValue(0.8)
    lab.panel.knobs["top_k"].setValue(40)
    lab.panel.knobs["top_p"].setValue(0.9)
    lab.panel.seed.setValue(7)
    lab.show_tab("stages")
    generate(24)
    shot("sampling")
    lab.panel.strategy.setCurrentText("beam")
    lab.panel.beams.setValue(3)
    lab.show_tab("beam tree")
    generate(7)
    shot("beam_tree")
    lab.show_tab("interventions")
    lab.ablation.cycle(4, 3)
    lab.ablation.cycle(6, 1)
    lab.ablation.cycle(6, 1)
    lab.ablation.apply()
    wait(lab.ablation.resultReady)
    shot("ablation")

    load("tiny-translator")
    lab.panel.strategy.setCurrentText("greedy")
    lab.translation.layer.setValue(1)
    lab.show_tab("translation")
    lab.translation.example.click()
    wait(lab.controller.runFinished)
    shot("translation")

    load("minilm-l6")
    lab.show_tab("masked fill")
    lab.masked.go.click()
    wait(lab.masked.filled)
    lab.masked.layer.setValue(3)
    shot("masked_fill")

    lab.show_tab("training")
    lab.training.start(200)
    wait(lab.training.finished)
    shot("training")
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
