"""The lab remembers what the user set (prompt, every knob, open tab) in the window's QSettings:
saved when the window closes, restored when the lab is installed; stale or garbage values are
skipped without breaking start-up, and restoring is not a settings change."""
from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QSettings

from gui.lab import remembered
from gui.lab.generation_panel import DEFAULT_PROMPT, GenerationPanel
from gui.lab.lab_calls import GenerationSettings
from gui.lab.lab_widget import TABS, LabWidget
from gui.main_window import MainWindow

WAIT = 60000


def _window(qtbot, path) -> MainWindow:
    w = MainWindow(settings=QSettings(str(path), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    w.show()
    return w


def _tab(lab) -> str:
    return lab.tabs.tabText(lab.tabs.currentIndex())


def _defaults(qtbot) -> GenerationSettings:
    panel = GenerationPanel()
    qtbot.addWidget(panel)
    return panel.settings()


def test_what_the_user_set_comes_back_after_closing_and_reopening(qtbot, tmp_path):
    path = tmp_path / "s.ini"
    w = _window(qtbot, path)
    p = w.lab.panel
    p.prompt.setText('A "remembered" prompt, with commas, = and ; signs')
    p.strategy.setCurrentText("sample")
    p.knobs["temperature"].setValue(0.73)
    p.knobs["top_k"].setValue(17)
    p.knobs["top_p"].setValue(0.9)
    p.knobs["min_p"].setValue(0.05)
    p.knobs["repetition_penalty"].setValue(1.15)
    p.beams.setValue(5)
    p.length_penalty.setValue(-0.5)
    p.max_new.setValue(33)
    p.seed.setValue(1234)
    w.lab.show_tab("interventions")
    shown, prompt = p.settings(), p.prompt.text()
    default = _defaults(qtbot)
    assert all(v != default.flat()[k] for k, v in shown.flat().items())  # every knob moved
    w.close()
    st = QSettings(str(path), QSettings.IniFormat)
    assert float(st.value("lab/temperature")) == shown.processors["temperature"] == 0.73
    assert st.value("lab/strategy") == "sample" and st.value("lab/tab") == "interventions"
    w2 = _window(qtbot, path)
    assert w2.lab.panel.settings() == shown
    assert w2.lab.panel.prompt.text() == prompt
    assert _tab(w2.lab) == "interventions"
    assert w2.lab.controller.settings == shown
    assert w2.lab.panel.knobs["temperature"].isEnabled()  # the knobs a sampler uses are enabled, as after a change


def test_garbage_in_the_settings_file_is_skipped_and_the_rest_restored(qtbot, tmp_path):
    path = tmp_path / "hand-edited.ini"
    path.write_text(
        "[lab]\n"
        "strategy=nucleus\n"  # a strategy that no longer exists
        "temperature=3.5\n"  # out of range (0.05..3)
        "top_k=lots\n"
        "top_p=nan\n"
        "min_p=-0.1\n"
        "repetition_penalty=\n"
        "num_beams=2.5\n"  # not an int
        "length_penalty=1e999\n"
        "max_new_tokens=0\n"
        "seed=7\n"  # the one good value
        "tab=no such tab\n"
        "prompt=a, b\n",  # unquoted commas: QSettings reads a list
        encoding="utf-8",
    )
    w = _window(qtbot, path)
    lab = w.lab
    assert lab.panel.settings() == replace(_defaults(qtbot), seed=7)
    assert lab.panel.prompt.text() == DEFAULT_PROMPT
    assert _tab(lab) == TABS[0]


@dataclass
class _FutureSettings(GenerationSettings):
    """GenerationSettings as a later version might have it."""

    stop_text: str | None = None  # a None default: no type to read the stored text as
    beam_groups: int = 1  # a field the panel has no knob for yet


def test_a_stored_field_the_lab_cannot_read_or_show_is_skipped_and_the_window_starts(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(remembered, "GenerationSettings", _FutureSettings)
    kinds = _FutureSettings.kinds()
    assert kinds["stop_text"] is type(None) and kinds["beam_groups"] is int
    path = tmp_path / "from-a-later-version.ini"
    path.write_text("[lab]\nstop_text=###\nbeam_groups=2\nseed=7\n", encoding="utf-8")
    w = _window(qtbot, path)
    assert w.lab.panel.settings() == replace(_defaults(qtbot), seed=7)
    p = w.lab.panel
    assert not p.accepts("beam_groups", 2) and not p.accepts("no such knob", 1)
    assert not p.accepts("seed", "7") and not p.accepts("strategy", 3)  # a value of the wrong type


def test_restoring_is_not_a_settings_change(qtbot, loaded_gpt, tmp_path):
    st = QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat)
    src = LabWidget()
    qtbot.addWidget(src)
    src.panel.strategy.setCurrentText("sample")
    src.panel.knobs["temperature"].setValue(1.5)
    src.save_settings(st)
    lab = LabWidget()
    qtbot.addWidget(lab)
    lab.set_model(loaded_gpt, ref="tiny-gpt-test")
    lab.panel.max_new.setValue(2)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.panel.gen_btn.click()  # a run with steps: a settings change would re-process them
    with qtbot.assertNotEmitted(lab.panel.settingsChanged), qtbot.assertNotEmitted(lab.controller.busyChanged):
        lab.restore_settings(st)
    assert lab.panel.settings() == src.panel.settings()
    assert lab.controller.settings == lab.panel.settings()  # what the next run compares against
    assert not lab.controller.busy
