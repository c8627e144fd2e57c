"""Screenshots of every view from the real window (run under a display, e.g. Xvfb):

  xvfb-run -s "-screen 0 1600x1000x24" python -m gui.screenshots --out docs/screenshots
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from .qt_wait import pump, wait

GPT_PROMPT = "The animal didn't cross the street because it was too tired"


def settle(app, seconds: float = 0.15) -> None:
    pump(seconds)
    app.processEvents()


class Shooter:
    def __init__(self, app, win, out: Path, width: int):
        self.app, self.win, self.out, self.width = app, win, out, width

    def load(self, name: str, prompt: str, target: str = "") -> None:
        s = self.win.session
        s.load_model(name, "cpu", "float32")
        if not wait(s.modelChanged, 300):
            raise SystemExit(f"could not load {name}")
        if s.busy:
            wait(s.busyChanged)
        self.win.prompt.set_text(prompt)
        self.win.prompt.target.setText(target)
        s.run(prompt, target)
        wait(s.traceChanged)
        self.idle()

    def idle(self) -> None:
        s = self.win.session
        while s.busy or s.extras_pending:
            if s.busy:
                wait(s.busyChanged)
            else:
                wait(s.extraReady, 60)
        settle(self.app)

    def goto(self, suffix: str, head: int | None = None, position: int | None = None) -> None:
        s = self.win.session
        if head is not None:
            self.win.inspector.head.setValue(head)
        if position is not None:
            self.win.inspector.position.setValue(position)
        name = next(n for n in s.store.order if n == suffix or n.endswith("." + suffix))
        s.goto(name)
        self.idle()

    def shot(self, fname: str) -> None:
        pix = self.win.grab()
        if pix.width() > self.width:
            pix = pix.scaledToWidth(self.width, Qt.SmoothTransformation)
        path = self.out / fname
        pix.save(str(path), "PNG")
        print(f"{path} ({path.stat().st_size // 1024} KiB)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default="docs/screenshots")
    p.add_argument("--width", type=int, default=1200, help="scale shots down to this width")
    p.add_argument("--gpt", default=None, help="decoder model (default: tiny-gpt if bundled, else smollm2-135m)")
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from engine.loading.sources import RESOURCES

    from .main_window import MainWindow

    tmp = tempfile.mkdtemp()
    win = MainWindow(settings=QSettings(f"{tmp}/s.ini", QSettings.IniFormat), autoload=False)
    win.resize(1500, 950)
    win.show()
    win.start()
    wait(win.session.infoReady)
    sh = Shooter(app, win, out, args.width)
    sh.load("tiny-gpt" if (RESOURCES / "tiny-gpt" / "config.json").is_file() else "smollm2-135m", GPT_PROMPT)
    sh.goto("blocks.1.attn.hook_pattern", head=0)
    sh.shot("window.png")  # the default layout, decoding lab included
    if "Decoding lab" in win.docks:  # the lab has its own screenshots (gui/lab/screenshots.py)
        win.docks["Decoding lab"].hide()

    # --- the translator: encoder-decoder, sinusoidal positions, cross-attention ------------------
    if (RESOURCES / "tiny-translator" / "config.json").is_file():
        sh.load("tiny-translator", "je suis étudiant", "i am a student")
        sh.goto("tokens")
        tv = win.inspector.current_view
        for _ in range(6):
            tv.advance()
        sh.shot("tokens.png")
        sh.goto("encoder.blocks.0.hook_resid_pre")
        sh.shot("embedding-positional-sum.png")
        sh.goto("decoder.blocks.0.attn.hook_attn_masked", head=0)
        sh.shot("attention-mask.png")
        sh.goto("decoder.blocks.1.cross_attn.hook_pattern", head=1)
        sh.shot("cross-attention.png")
        sh.goto("decoder.blocks.1.hook_resid_mid")
        sh.shot("add-and-norm.png")

    # --- a decoder-only model: attention, lines, QKV, FFN, logit lens, output ----------------------
    gpt = args.gpt or ("tiny-gpt" if (RESOURCES / "tiny-gpt" / "config.json").is_file() else "smollm2-135m")
    sh.load(gpt, GPT_PROMPT)
    n = len(win.session.store.ids)
    it = next((i for i, t in enumerate(win.session.store.tokens) if t.strip() == "it"), n - 1)
    sh.goto("blocks.2.attn.hook_pattern", head=1, position=it)
    sh.shot("attention-softmax.png")
    win.inspector.current_view.tabs.setCurrentIndex(1)
    settle(app)
    sh.shot("attention-lines.png")
    win.inspector.current_view.tabs.setCurrentIndex(0)
    sh.goto("blocks.2.attn.hook_q", head=4)
    sh.shot("qkv.png")
    sh.goto("blocks.2.mlp.hook_post", position=it)
    sh.shot("ffn.png")
    win.inspector.position.setValue(-1)
    sh.goto("hook_logits")
    sh.shot("probabilities.png")
    lens = win.docks["Logit lens"]
    win.addDockWidget(Qt.BottomDockWidgetArea, lens)  # wide, for the picture
    lens.show()
    win.resizeDocks([lens], [330], Qt.Vertical)
    sh.idle()
    sh.shot("logit-lens.png")
    win.docks["Attention grid"].raise_()
    sh.idle()
    sh.shot("attention-grid.png")

    # --- grouped-query attention on a real Llama-architecture model --------------------------------
    from engine.loading.packs import pack_path

    if pack_path("smollm2-135m") is not None:
        sh.load("smollm2-135m", GPT_PROMPT)
        sh.goto("blocks.3.attn.hook_rot_k", head=4, position=-1)
        sh.shot("qkv-gqa.png")
    win.session.jobs.wait(60_000)
    win.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
