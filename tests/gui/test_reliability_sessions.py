"""Damaged lab sessions and unwritable saves (issue 14, item 4): each shows a message, keeps what
was there (the panel's settings, the previous file or model folder), and the lab still works:
Next token and Generate N run afterwards.

The file dialogs are replaced by their answer (no modal dialog); the message is read from the
lab's state line (or the training note) and from the lab's errorShown signal.
"""
from __future__ import annotations

import html
import json
import random

import pytest
from PySide6.QtCore import QSettings

from gui.lab import lab_widget, training_view
from gui.lab.lab_widget import LabWidget
from tests.cli.small_fs import fill_up, read_only, small_fs  # noqa: F401 - a fixture

WAIT = 60000


@pytest.fixture
def lab(qtbot, loaded_gpt):
    w = LabWidget()
    qtbot.addWidget(w)
    w.set_model(loaded_gpt, ref="tiny-gpt-test")
    w.panel.prompt.setText("Attention is all")
    w.panel.max_new.setValue(3)
    w.panel.n.setValue(3)
    yield w
    w.controller.jobs.wait(5000)


def _good(lab) -> dict:
    return lab.snapshot().to_json()


def _edited(**changes):
    def make(good: dict) -> bytes:
        return json.dumps({**good, **changes}).encode()
    return make


def _settings(**changes):
    def make(good: dict) -> bytes:
        return json.dumps({**good, "settings": {**good["settings"], **changes}}).encode()
    return make


DAMAGED = {  # case -> (file bytes from a good session's JSON, words the message must hold)
    "truncated": (lambda g: json.dumps(g).encode()[:40], "not valid JSON"),
    "random bytes": (lambda g: random.Random(14).randbytes(4096), "not UTF-8 text"),
    "empty": (lambda g: b"", "is empty"),
    "wrong version": (_edited(version=99), "version 99 is not supported"),
    "version as text": (_edited(version="1"), "version '1' is not supported"),
    "a JSON array": (lambda g: b"[1, 2, 3]", "not a Transformer Playground lab session"),
    "100k-deep nesting": (lambda g: b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "deep nesting inside": (lambda g: json.dumps({**g, "text": None}).replace(
        "null", "[" * 100_000 + "]" * 100_000).encode(), "nested too deeply"),
    "huge token ids": (_edited(tokens=[10**30]), "token id 1000000000000000000000000000000"),
    "token past the vocabulary": (_edited(tokens=[5, 99_999]), "outside the model's vocabulary"),
    "huge id in the beam tree": (_edited(nodes=[{"path": [2**70], "text": "x", "logprob": -1.0,
                                                 "status": "kept"}]), "token id"),
    "NaN temperature": (_settings(temperature=float("nan")), "temperature"),
    "seed 2^40": (_settings(seed=2**40), "seed 1099511627776"),
    "text for a number": (_settings(top_k="ten"), "top_k"),
    "unknown strategy": (_settings(strategy="psychic"), "strategy 'psychic'"),
    "unknown setting": (_settings(warp_drive=1), "warp_drive"),
    "tokens not a list": (_edited(tokens=7), "tokens"),
    "prompt not text": (_edited(prompt=["a"]), "prompt"),
}


def _open(lab, path, monkeypatch) -> list[str]:
    """Lab ▸ Open lab session… answered with `path`; the messages it showed."""
    shown = []
    lab.errorShown.connect(shown.append)
    monkeypatch.setattr(lab_widget.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    lab.open_dialog()
    return shown


def _still_works(qtbot, lab) -> None:
    """Next token gives one step, Generate N three more (the panel's signals are not blocked)."""
    lab.panel.strategy.setCurrentText("sample")  # a settings change must still reach the controller
    assert lab.controller.settings.strategy == "sample"
    lab.panel.strategy.setCurrentText("greedy")
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.panel.next_btn.click()
    assert len(lab.controller.events) == 1
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.panel.gen_btn.click()
    assert len(lab.controller.events) == 3  # max_new 3 in all


@pytest.mark.parametrize("case", list(DAMAGED))
def test_a_damaged_session_says_why_and_the_lab_keeps_working(qtbot, lab, tmp_path, monkeypatch, case):
    make, words = DAMAGED[case]
    path = tmp_path / "s.tplab.json"
    path.write_bytes(make(_good(lab)))
    before = lab.panel.settings()
    shown = _open(lab, path, monkeypatch)
    assert len(shown) == 1 and words in shown[0], shown
    assert str(path.name) in shown[0] and "\n" not in shown[0]
    assert words in html.unescape(lab.panel.state.text())
    assert lab.panel.settings() == before  # validated before anything was shown
    _still_works(qtbot, lab)


def test_a_folder_is_not_a_session(qtbot, lab, tmp_path, monkeypatch):
    shown = _open(lab, tmp_path, monkeypatch)
    assert len(shown) == 1 and "is a folder" in shown[0]
    _still_works(qtbot, lab)


def test_a_good_session_still_opens_after_a_bad_one(qtbot, lab, tmp_path, monkeypatch):
    good = tmp_path / "good.tplab.json"
    lab.panel.seed.setValue(7)
    lab.save_session(str(good))
    lab.panel.seed.setValue(0)
    bad = tmp_path / "bad.tplab.json"
    bad.write_bytes(_settings(seed=2**40)(_good(lab)))
    assert len(_open(lab, bad, monkeypatch)) == 1
    assert _open(lab, good, monkeypatch) == []
    assert lab.panel.seed.value() == 7
    _still_works(qtbot, lab)


# --- saving ------------------------------------------------------------------------------------
def _save(lab, path, monkeypatch) -> list[str]:
    shown = []
    lab.errorShown.connect(shown.append)
    monkeypatch.setattr(lab_widget.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    lab.save_dialog()
    return shown


def _unwritable(kind: str, tmp_path, small_fs):
    """(target, the bytes or folder that must survive, words of the message) for each kind of place."""
    if kind == "onto a folder":
        target = tmp_path / "a-folder"
        target.mkdir()
        (target / "keep.txt").write_text("mine")
        return target, "is a folder"
    if kind == "through a file":
        (tmp_path / "a-file").write_text("mine")
        return tmp_path / "a-file" / "s.tplab.json", "is a file, not a folder"
    target = small_fs / "s.tplab.json"
    target.write_text("previous")
    if kind == "read-only":
        read_only(small_fs)
        return target, "Read-only file system"
    fill_up(small_fs)
    return target, "No space left on device"


def _snapshot(root) -> dict:
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize("kind", ["onto a folder", "through a file", "read-only", "full"])
def test_an_unwritable_session_save_says_why_and_keeps_the_old_file(qtbot, lab, tmp_path, monkeypatch, kind,
                                                                    request):
    fs = request.getfixturevalue("small_fs") if kind in ("read-only", "full") else None
    target, words = _unwritable(kind, tmp_path, fs)
    root = fs or tmp_path
    before = _snapshot(root)
    shown = _save(lab, target, monkeypatch)
    assert len(shown) == 1 and words in shown[0] and ".part" not in shown[0], shown
    assert str(target) in shown[0]
    assert words in html.unescape(lab.panel.state.text())
    assert _snapshot(root) == before  # the previous file intact, no temp file left
    _still_works(qtbot, lab)


@pytest.fixture
def trained(qtbot):
    from gui.lab.training_calls import build_micro

    tv = training_view.TrainingView()
    qtbot.addWidget(tv)
    tv.run = build_micro(1)  # an untrained model saves like a trained one
    return tv


def _save_model(tv, folder, monkeypatch) -> list[str]:
    shown = []
    tv.saveFailed.connect(shown.append)
    monkeypatch.setattr(training_view.QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
    tv._save_dialog()
    return shown


@pytest.mark.parametrize("kind", ["a folder of other files", "through a file", "read-only", "full"])
def test_an_unwritable_model_save_says_why_and_keeps_the_old_folder(trained, tmp_path, monkeypatch, kind, request):
    if kind == "a folder of other files":
        target, words, root = tmp_path / "docs", "holds other files", tmp_path
        target.mkdir()
        (target / "letter.txt").write_text("mine")
    elif kind == "through a file":
        (tmp_path / "a-file").write_text("mine")
        target, words, root = tmp_path / "a-file" / "model", "is a file, not a folder", tmp_path
    else:
        root = request.getfixturevalue("small_fs")
        target = root / "model"
        target.mkdir()
        (target / "config.json").write_text('{"old": true}')
        if kind == "read-only":
            read_only(root)
            words = "Read-only file system"
        else:
            fill_up(root)
            words = "No space left on device"
    before = _snapshot(root)
    shown = _save_model(trained, target, monkeypatch)
    assert len(shown) == 1 and words in shown[0] and ".part" not in shown[0], shown
    assert words in html.unescape(trained.note.text())
    assert _snapshot(root) == before


def test_in_the_window_a_damaged_session_is_a_dialog(qtbot, tiny_gpt, tmp_path, monkeypatch):
    from gui.main_window import MainWindow

    win = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.session.modelChanged, timeout=WAIT):
        win.session.load_model(tiny_gpt, "cpu", "float32")
    bad = tmp_path / "bad.tplab.json"
    bad.write_bytes(b"")
    monkeypatch.setattr(lab_widget.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bad), "")))
    with qtbot.waitSignal(win.errorShown, timeout=5000) as blocker:
        win.lab.open_dialog()
    assert "is empty" in blocker.args[0]
    assert win.error_box.isVisible()
