"""A sequence classifier in the GUI: the Output view and the inspector's class-probs view show the
model's id2label names with the run's probabilities (sum 1, equal to the engine's); the navigator
says which layers run another layer's weights (ALBERT)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.loading import load_model
from gui import engine_calls
from gui.panels.navigator import Navigator
from gui.views.base import StepContext
from gui.views.class_probs import ClassProbsView
from gui.views.probabilities import ProbabilitiesView
from gui.views.registry import view_name_for
from tests.engine.parity.case_albert import albert_mlm
from tests.engine.parity.case_classifiers import bert_classifier
from tests.engine.parity.test_parity import write_word_tokenizer

PROMPT = "w5 w17 w33 w2 w9"
NEVER = lambda: False  # noqa: E731


def _open(ref, folder):
    ref.save_pretrained(folder, safe_serialization=True)
    write_word_tokenizer(folder)
    return load_model(str(folder))


@pytest.fixture(scope="module")
def classifier(tmp_path_factory):
    ref = bert_classifier()
    lm = _open(ref, tmp_path_factory.mktemp("bert-cls"))
    return ref, lm, engine_calls.run_prompt(lm, PROMPT, None, NEVER, full=True)


def _reference_probs(ref):
    with torch.no_grad():
        return torch.softmax(ref(input_ids=torch.tensor([[5, 17, 33, 2, 9]])).logits[0], -1).numpy()


def test_output_view_shows_label_names_and_the_runs_probabilities(qtbot, classifier):
    ref, lm, store = classifier
    view = ProbabilitiesView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, "hook_embed", tokenizer=lm.tokenizer))
    shown = view.classifier.view.shown
    assert shown["labels"] == ["negative", "neutral", "positive"] == list(lm.model.label_names)
    probs = np.array(shown["probs"])
    assert probs.sum() == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_array_equal(probs, store["classifier.hook_class_probs"][0].numpy())  # the run's numbers
    np.testing.assert_allclose(probs, _reference_probs(ref), atol=1e-5)
    ticks = [t for _, t in view.classifier.view.plot.getAxis("left")._tickLevels[0]]
    assert ticks == ["negative", "neutral", "positive"]
    assert not view.widget.isVisibleTo(view)  # the token-probability bars are not shown for a classifier


def test_output_view_goes_back_to_token_probabilities_for_a_language_model(qtbot, classifier, loaded_gpt):
    _, lm, store = classifier
    view = ProbabilitiesView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, "hook_embed", tokenizer=lm.tokenizer))
    gpt_store = engine_calls.run_prompt(loaded_gpt, "The animal", None, NEVER, full=True)
    view.show_step(StepContext(gpt_store, "hook_logits", tokenizer=loaded_gpt.tokenizer))
    assert view.widget.isVisibleTo(view) and not view.classifier.view.isVisibleTo(view)
    assert view.top is not None and len(view.top["probs"]) > 0


@pytest.mark.parametrize("step", ["classifier.hook_first", "classifier.hook_pooled",
                                  "classifier.hook_class_logits", "classifier.hook_class_probs"])
def test_every_classifier_step_is_drawn_with_its_inputs(qtbot, classifier, step):
    _, lm, store = classifier
    assert view_name_for(step) == "class-probs"
    view = ClassProbsView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, step, tokenizer=lm.tokenizer))
    shown = [h for h in view.row.maps if not h.isHidden()]
    assert shown and np.array_equal(shown[-1].data, store[step][:1].numpy())
    assert view.shown["labels"] == ["negative", "neutral", "positive"]
    assert store.step(step).description.split(" ")[0] in view.note.text()


def test_navigator_says_which_layers_share_weights(qtbot, tmp_path):
    lm = _open(albert_mlm(), tmp_path)
    store = engine_calls.run_prompt(lm, PROMPT, None, NEVER, full=True)
    nav = Navigator()
    qtbot.addWidget(nav)
    nav.set_order(store.order, store.meta.get("shared_weights"))
    groups = [nav.topLevelItem(i).text(0) for i in range(nav.topLevelItemCount())
              if nav.topLevelItem(i).childCount()]
    assert groups == ["layer 0", "layer 1 · weights shared with layer 0", "layer 2 · weights shared with layer 0"]


@pytest.mark.parametrize("view", ["class-probs", "pooled"])
def test_tplay_render_draws_the_classifier_views(view, classifier, tmp_path, tplay, qapp):
    from tests.gui.test_render_and_start import _not_blank

    _, lm, _ = classifier
    out = tmp_path / f"{view}.png"
    code, stdout, err = tplay("render", "-m", lm.ref.path, "--prompt", PROMPT, "--view", view, "--out", out,
                              "--size", "800x500")
    assert code == 0, err
    _not_blank(out)


def test_tplay_render_of_class_probs_on_a_language_model_is_one_line(tiny_gpt, tmp_path, tplay, qapp):
    code, _, err = tplay("render", "-m", tiny_gpt, "--prompt", "The animal", "--view", "class-probs",
                         "--out", tmp_path / "x.png")
    assert code == 2 and "has no class-probs step" in err and len(err.strip().splitlines()) == 1


def test_main_window_on_a_classifier_shows_labels_and_draws_every_step(qtbot, classifier, tmp_path):
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow
    from tests.gui.test_main_window import LOAD_MS, _load, _type_and_run

    ref, lm, _ = classifier
    w = MainWindow(settings=QSettings(str(tmp_path / "tplay.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    try:
        with qtbot.waitSignal(w.session.infoReady, timeout=LOAD_MS):
            w.start()
        w.model_panel.device.setCurrentText("cpu")
        _load(qtbot, w, str(lm.ref.path))
        _type_and_run(qtbot, w, PROMPT)
        qtbot.waitUntil(lambda: bool(w.output.classifier.view is not None and w.output.classifier.view.shown),
                      timeout=LOAD_MS)
        shown = w.output.classifier.view.shown
        assert shown["labels"] == ["negative", "neutral", "positive"]
        np.testing.assert_allclose(shown["probs"], _reference_probs(ref), atol=1e-5)
        labels = [it.text(0) for it in w.navigator.items]
        assert {"classifier · first token ([CLS] / <s>)", "classifier · label probabilities"} <= set(labels)
        store = w.session.store
        for i in range(len(store)):  # every step draws in the inspector without an error
            w.session.goto(i)
        qtbot.waitUntil(lambda: not w.session.busy, timeout=LOAD_MS)
        assert not w.statusBar().currentMessage().lower().startswith("error")
    finally:
        w.close()
