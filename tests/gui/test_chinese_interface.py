"""Acceptance (#17 item 4): in zh_CN every visible string of the window is translated.

The walk: the main window with the tiny GPT loaded and a prompt run, the inspector's view for
every kind of step in the trace, each of the lab's tabs, the menus, the docks, the status bar
and the dialogs that open cheaply (shortcuts, an error, the language-change note).

A text passes when every English word left in it (a run of two or more ASCII letters) is:
  - a word the zh_CN translation itself keeps in Latin script (softmax, MLP, ms …: a word that
    appears in some translation of resources/i18n/tplay_zh_CN.ts), or
  - data: text in “…” or ‘…’ quotes (an example input, a token); a word of the loaded model's
    name, family, architecture, device or dtype; a word of the prompt or target; a word of a step's
    name or axes (blocks.0.attn.hook_q, [batch, pos, head]); a value `tplay` takes for an option
    (device, dtype, --device-map, strategy); a key name of a shortcut (Ctrl, Esc); a whole text that
    is one vocabulary token (chart and table labels); an identifier (d_model, float32: anything with
    '_', '.', '/' or a digit inside a word); a language's name in its own script (View ▸ Language);
    or text the engine wrote: a step's description (what `tplay trace` prints), a model's summary
    (`tplay models`) and why a device is unavailable.
"""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from gui import i18n
from tests.gui.visible_text import visible_texts

PROMPT = "我是一个学生 i am a student"
LOAD_MS = 60_000
WORD = re.compile(r"[A-Za-z]{2,}")
QUOTED = re.compile(r"“[^”]*”|‘[^’]*’")  # a quoted example input or token
IDENTIFIER = re.compile(r"\S*\w[_./\\]\w\S*|\S*[A-Za-z]\d\S*|\S*\d[A-Za-z]\S*")


def _kept_words() -> set[str]:
    words = set()
    for text in i18n.read_ts(i18n.ts_path("zh_CN")).values():
        words |= {w.lower() for w in WORD.findall(text)}
    return words


def _data(win, info: dict) -> tuple[set[str], set[str], list[str]]:
    """(data words, whole-text tokens, engine texts) of the current model and run."""
    from gui.language_menu import LABELS

    lm, store, panel = win.session.lm, win.session.store, win.model_panel
    words = [lm.name, lm.family, lm.cfg.architecture, str(lm.device), str(lm.dtype), store.prompt,
             *(store.target_tokens or [])]
    for combo in (panel.device, panel.dtype, panel.place, panel.models, win.lab.panel.strategy):  # values tplay takes
        words += [combo.itemText(i) for i in range(combo.count())]
    words += [" ".join(s.axes) + " " + s.name.replace(".", " ") for s in store.steps.values()]
    words += [LABELS["en"]]  # each language is named in its own script
    words += [a.shortcut().toString() for a in win.actions()]  # key names: Ctrl+Return, Esc
    tok = lm.tokenizer
    ids = range(tok.vocab_size)
    tokens = {t.strip() for t in [tok.decode([i]) for i in ids] + tok.token_strings(list(ids))} - {""}
    engine = [s.description for s in store.steps.values() if s.description]
    engine += [why for why in info.get("devices", {}).values() if why]
    engine += [row.get("summary", "") for row in panel.described.values() if row.get("summary")]
    return {w.lower() for w in WORD.findall(" ".join(words))}, tokens, engine


def untranslated(texts, kept: set[str], data: tuple) -> list[str]:
    words, tokens, descriptions = data
    bad = []
    for where, text in texts:
        rest = text
        for d in sorted(descriptions, key=len, reverse=True):
            rest = rest.replace(d, " ")
        if rest.strip().strip("‘’'\"") in tokens:
            continue
        rest = IDENTIFIER.sub(" ", QUOTED.sub(" ", rest))
        left = [w for w in WORD.findall(rest) if w.lower() not in kept and w.lower() not in words]
        if left:
            bad.append(f"{where}: {text!r} ({', '.join(left)})")
    return sorted(set(bad))


@pytest.fixture
def chinese():
    assert i18n.install_language("zh_CN"), "resources/i18n/tplay_zh_CN.qm did not load"
    yield
    i18n.install_language("en")


def _walk(qtbot, win, model: str, prompt: str, target: str = "") -> list:
    """Load `model`, run `prompt`, show one step of each view; the texts on the way."""
    from gui.views.registry import view_name_for

    with qtbot.waitSignal(win.session.modelChanged, timeout=LOAD_MS):
        win.model_panel.open_path(model) if "/" in model else win.session.load_model(model, "cpu")
    texts = visible_texts(win)  # the lab's hints for this model
    with qtbot.waitSignal(win.session.traceChanged, timeout=LOAD_MS):
        win.session.run(prompt, target)
    qtbot.waitUntil(lambda: not win.session.busy, timeout=LOAD_MS)
    seen = set()
    for name in win.session.store.order:
        view = view_name_for(name)
        if view not in seen:
            seen.add(view)
            with qtbot.waitSignal(win.inspector.viewShown, timeout=LOAD_MS):
                win.session.goto(name)
            texts += visible_texts(win)
    return texts


def test_every_visible_string_is_translated_in_zh_cn(qtbot, tiny_gpt, tmp_path, chinese):
    from gui.main_window import MainWindow

    win = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    texts = visible_texts(win)  # before a model: the empty states and hints
    with qtbot.waitSignal(win.session.infoReady, timeout=LOAD_MS) as info:
        win.start()
    win.model_panel.device.setCurrentText("cpu")
    texts += _walk(qtbot, win, tiny_gpt, PROMPT)
    with qtbot.waitSignal(win.lab.controller.runFinished, timeout=LOAD_MS):
        win.lab.panel.next_btn.click()  # the lab's charts, stages and state line after a step
    for i in range(win.lab.tabs.count()):
        win.lab.tabs.setCurrentIndex(i)
        texts += visible_texts(win.lab)
    win.show_shortcuts()
    texts += visible_texts(win.shortcuts_box)
    win.show_error(i18n.tr("Could not load the model.\n\n{msg}").format(msg="x"))
    texts += visible_texts(win.error_box)
    win.language_acts["en"].trigger()  # View ▸ Language ▸ English: stored, and a note in both languages
    assert win.settings.value("language") == "en" and win.language_box.isVisible()
    note = win.language_box.text()
    assert "English" in note and "next time" in note and re.search(r"[\u4e00-\u9fff]", note), note
    win.language_acts["zh_CN"].trigger()  # back to the language in use: stored, nothing to say
    assert win.settings.value("language") == "zh_CN"
    win.language_box.close()
    texts += [(w, t) for w, t in visible_texts(win.language_box) if "English" not in t]  # its English line
    win.language_box.setParent(None)  # the walk below must not find its English line
    assert len(texts) > 200, f"the walk found only {len(texts)} texts"
    assert any(w.startswith("Navigator") and " row" in w for w, _ in texts), "the walk missed the pipeline's rows"
    gpt = _data(win, info.args[0])
    # an encoder-decoder: the decoder's target box, cross-attention, the translation tab
    texts += _walk(qtbot, win, "tiny-translator", "je suis étudiant", "i am a student")
    translator = _data(win, info.args[0])
    bad = untranslated(texts, _kept_words(), tuple(a | set(b) if isinstance(a, set) else a + b
                                                   for a, b in zip(gpt, translator)))
    win.close()
    assert not bad, f"{len(bad)} untranslated texts in zh_CN:\n" + "\n".join(sorted(set(bad)))
