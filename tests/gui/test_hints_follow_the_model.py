"""Hints name what is loaded: the translation tab with an encoder-decoder (or without one), the
inspector once a model is loaded or a prompt was refused, the status bar by a path's last part."""
from __future__ import annotations

from gui.lab.lab_widget import LabWidget
from gui.main_window import short_model_name
from gui.panels.inspector import Inspector
from tests.gui.lab_models import loaded_translator  # noqa: F401 - fixture


def test_translation_tab_says_the_loaded_translator_is_ready(qtbot, loaded_translator):
    lab = LabWidget()
    qtbot.addWidget(lab)
    lab.set_model(loaded_translator, "tiny-translator")
    note = lab.translation.note.text()
    assert "load an encoder-decoder" not in note and "tiny-translator" in note
    assert lab.translation.example.isEnabled()


def test_translation_tab_on_a_decoder_only_model_says_why_it_is_empty(qtbot, loaded_gpt):
    lab = LabWidget()
    qtbot.addWidget(lab)
    lab.set_model(loaded_gpt, "tiny-gpt")
    note = lab.translation.note.text()
    assert "no encoder" in note and "tiny-gpt" in note
    assert not lab.translation.example.isEnabled()


def test_inspector_hint_follows_what_happened():
    ins = Inspector()
    assert "Load a model" in ins.header.text()
    ins.show_hint("tiny-gpt is loaded: type a prompt and press Enter.")
    assert ins.header.text().startswith("tiny-gpt is loaded")


def test_a_path_is_shown_by_its_last_part():
    assert short_model_name("/home/u/models/SmolLM2-135M.Q4_1.gguf") == "SmolLM2-135M.Q4_1.gguf"
    assert short_model_name("/home/u/models/my-model/") == "my-model"
    assert short_model_name("tiny-gpt") == "tiny-gpt"


def test_the_two_prompts_say_whose_they_are_and_the_lab_can_copy_the_debuggers(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from gui.lab.ablation_panel import HINT
    from gui.main_window import MainWindow

    win = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(win)
    assert "debugger" in win.prompt.edit.placeholderText()
    assert "lab's prompt" in HINT and "not the debugger's" in HINT
    win.prompt.set_text("the debugger's own words")
    lab = win.lab
    assert lab.panel.from_debugger.isVisibleTo(lab.panel)
    lab.panel.from_debugger.click()
    assert lab.panel.prompt.text() == "the debugger's own words"
