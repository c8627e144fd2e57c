"""The built-in tour: each stop's numbers are the engine's (computed here independently), the beam
stop returns the top 2 beams of width 2, and presenter mode shows every stop with no clipped
text at 1366×768 and 1920×1080 in English and Chinese, keyboard only."""
from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import Qt

from engine import Capture, run
from engine.tour import load_tour

SIZES = [(1366, 768), (1920, 1080)]


@pytest.fixture(scope="module")
def prepared():
    from gui.tour.prepare import Models, prepare

    tour = load_tour("how-a-transformer-works")
    models = Models()
    return tour, models, {s.id: prepare(s, models) for s in tour.stops}


def _trace(models, name, text, target=None):
    lm = models.get(name)
    ids = lm.tokenizer.encode(text).ids
    tgt = [0] + lm.tokenizer.encode_target(target, special=False).ids if target else None
    return lm, lm.tokenizer.token_strings(ids), tgt, run(lm.model, ids, target_ids=tgt, capture=Capture(to_cpu=True))


def test_each_stops_numbers_are_the_engines(prepared):
    tour, models, p = prepared
    bert, toks, _, tr = _trace(models, "tiny-bert", "The animal didn't cross the street because it was too tired")
    q, k = toks.index("it"), toks.index("animal")
    pats = torch.stack([tr[f"blocks.{L}.attn.hook_pattern"][0, :, q, k] for L in range(3)])  # [layer, head]
    best = divmod(int(pats.argmax()), pats.shape[1])
    link = p["it-animal"]
    assert (link.layer, link.head) == best and link.highlight == (q, k)
    assert f"layer {best[0]} head {best[1]} links “it” to “animal” most: weight {pats.max().item():.3f}" in link.caption("en")
    assert f"{pats.max().item():.3f}" in link.caption("zh")
    cell = p["self-attention"]
    L, h = cell.layer, cell.head
    raw = tr[f"blocks.{L}.attn.hook_attn_scores"][0, h, q, k].item()
    dk = tr[f"blocks.{L}.attn.hook_q"].shape[-1]
    w = torch.softmax(raw_row := tr[f"blocks.{L}.attn.hook_attn_scores"][0, h, q] / dk ** 0.5, -1)[k].item()
    assert raw_row.shape[0] == len(toks)
    assert f"q·k = {raw:.2f}; divided by √dₖ = √{dk} = {dk ** 0.5:.2f} it is {raw / dk ** 0.5:.2f}" in cell.caption("en")
    assert f"weight {w:.3f}" in cell.caption("en")
    # masked decoder self-attention: the upper triangle of the target's n × n
    tl, src, tgt, tt = _trace(models, "tiny-translator", "je suis étudiant", "i am a student")
    n = len(tgt)
    assert f"{n} × {n}" in p["masked"].caption("en") and f"{n * (n - 1) // 2} future scores" in p["masked"].caption("en")
    cross = torch.stack([tt[f"decoder.blocks.{L}.cross_attn.hook_pattern"][0, :, 3, src.index("étudiant")]
                         for L in range(3)])  # query "a" (decoder position 3) -> "étudiant"
    assert f"weight {cross.max().item():.3f} on the source word “étudiant”" in p["cross-attention"].caption("en")
    # tokens, embeddings, sinusoidal positions, heads: counted and measured here from the tensors
    text = "The animal didn't cross the street because it was too tired"
    gpt, gtoks, _, ga = _trace(models, "tiny-gpt", text)
    assert f"these {len(text.split())} words into {len(gtoks)} tokens from its vocabulary of {gpt.cfg.vocab_size}" \
        in p["tokens"].caption("en")
    emb = ga["hook_embed"]
    assert f"from {emb.min().item():.2f} to {emb.max().item():.2f}" in p["embedding"].caption("en")
    from engine.models.components import sinusoidal_table

    pe = tt["encoder.hook_pos_embed"]
    d = pe.shape[1]
    assert torch.equal(pe, sinusoidal_table(pe.shape[0], d)) and f"first {d // 2} dimensions" in p["positions"].caption("en")
    assert f"[{pe.min().item():.2f}, {pe.max().item():.2f}]" in p["positions"].caption("en")
    n_heads, d_head = tr["blocks.0.attn.hook_q"].shape[2:]
    assert f"{n_heads} heads" in p["heads"].caption("en") and f"({n_heads} × {d_head} = {n_heads * d_head})" \
        in p["heads"].caption("en")
    gpt, _, _, tg = _trace(models, "tiny-gpt", "Once upon a time, there was a")
    probs = torch.softmax(tg["hook_logits"][0, -1], -1)
    top = gpt.tokenizer.token_strings([int(probs.argmax())])[0].strip()
    assert f"top choice is “{top}” with p = {probs.max().item():.3f}" in p["final-softmax"].caption("en")


def test_the_beam_stop_returns_the_top_two_beams_of_width_two(prepared):
    from engine.decoding import generate

    tour, models, p = prepared
    lm = models.get("tiny-translator")
    ids = lm.tokenizer.encode("je suis étudiant").ids
    events = list(generate(lm.model, ids, strategy="beam", num_beams=2, num_return=2, max_new_tokens=20))
    seqs = events[-1].sequences
    assert len(seqs) == 2
    texts = [lm.tokenizer.decode(s.ids) for s in seqs]
    assert texts[0] == "i am a student"  # the model card's result for this prompt
    cap = p["beam"].caption("en")
    assert f"“{texts[0]}” (score {seqs[0].score:.3f}) and “{texts[1]}” (score {seqs[1].score:.3f})" in cap
    assert p["beam"].title("en") == "Beam search: width 2, top 2"
    assert "“je suis étudiant” → “i am a student”" in p["greedy"].caption("en")
    assert "“merci” → “thanks”" in p["merci"].caption("en")
    assert "“我是一个学生” → “i am a student”" in p["chinese"].caption("zh")
    hist = p["training"].training[1]
    assert hist[-1].loss < hist[0].loss / 10
    assert f"from {hist[0].loss:.2f} to {hist[-1].loss:.3f} in {hist[-1].step} steps" in p["training"].caption("en")


def test_presenter_shows_every_stop_unclipped_at_both_sizes_in_both_languages(qtbot, prepared):
    from gui.tour.fit import clipped_texts
    from gui.tour.presenter import Presenter

    tour, models, p = prepared
    pres = Presenter(tour, "en", models=models)
    qtbot.addWidget(pres)
    pres.show()
    for i, s in enumerate(tour.stops):
        pres.show_prepared(i, p[s.id])
        for lang in ("en", "zh"):
            pres.set_language(lang)
            assert pres.caption.text() == p[s.id].caption(lang) and pres.title.text() == p[s.id].title(lang)
            for size in SIZES:
                pres.resize(*size)
                qtbot.waitUntil(lambda: pres.size().toTuple() == size and pres.stage.widget.isVisible(), timeout=2000)
                pres.layout().activate()  # lay out at this size, as on screen
                assert clipped_texts(pres) == [], (lang, s.id, size)
                assert pres.minimumSizeHint().height() <= size[1], (lang, s.id, size)
    pres.close()


def test_presenter_is_driven_by_the_keyboard_and_prepares_stops_itself(qtbot, prepared):
    from gui.tour.presenter import Presenter

    tour, models, p = prepared
    pres = Presenter(tour, "en", models=models)
    qtbot.addWidget(pres)
    pres.prepared.update({i: p[s.id] for i, s in enumerate(tour.stops) if i not in (3, 4)})  # the rest: its worker
    pres.resize(1366, 768)
    pres.show()
    with qtbot.waitSignal(pres.stopShown, timeout=20000) as sig:
        pres.go(3)  # not prepared by the presenter yet: its worker runs the stop
    assert sig.args == [3] and pres.caption.text() == p["self-attention"].caption("en")
    assert pres.marker is not None and pres.marker.rect().topLeft().toTuple() == (2.0, 10.0)  # "it" row, "animal" column
    first = pres.stage.widget.note.text()
    qtbot.keyClick(pres, Qt.Key_F10)
    assert pres.step == 1 and pres.stage.widget.note.text() != first
    assert "step 2/3" in pres.footer.text()
    with qtbot.waitSignal(pres.stopShown, timeout=20000):
        qtbot.keyClick(pres, Qt.Key_Right)
    assert pres.index == 4
    qtbot.keyClick(pres, Qt.Key_Left)
    assert pres.index == 3 and pres.step == 0
    beam = [s.id for s in tour.stops].index("beam")
    pres.show_prepared(beam, p["beam"])  # a lab run opens finished; F10 replays it step by step
    n = p["beam"].n_steps
    assert n == len(p["beam"].events) > 2 and pres.step == n - 1
    whole = pres.stage.widget.node_count()
    qtbot.keyClick(pres, Qt.Key_F10)
    assert pres.step == 0 and 0 < pres.stage.widget.node_count() < whole
    grown = pres.stage.widget.node_count()
    qtbot.keyClick(pres, Qt.Key_F10)
    assert pres.step == 1 and grown < pres.stage.widget.node_count() <= whole
    with qtbot.waitSignal(pres.left):
        qtbot.keyClick(pres, Qt.Key_Escape)


def test_record_a_view_write_its_caption_save_and_present_it(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow

    win = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(win)
    win.show()
    menu = win.tour_menu
    assert menu.add_stop() is None  # nothing run yet: the status line says so, nothing is added
    with qtbot.waitSignal(win.session.modelChanged, timeout=60000):
        win.session.load_model("tiny-gpt", "cpu", "float32")
    with qtbot.waitSignal(win.session.traceChanged, timeout=60000):
        win.session.run("Once upon a time")
    win.session.set_head(1)
    win.session.goto("blocks.1.attn.hook_pattern")
    assert menu.add_stop() == 0
    d = menu.edit_captions()
    d.text["en"].setPlainText("Head one of layer one looks back.")
    d.text["zh"].setPlainText("第一层的一号头往回看。")
    d.accept()
    path = menu.save_to(str(tmp_path / "mine.toml"))
    again = load_tour(path)
    s = again.stops[0]
    assert (s.model, s.view, s.prompt, s.steps, s.head) == ("tiny-gpt", "attention", "Once upon a time",
                                                           ("blocks.1.attn.hook_pattern",), 1)
    menu.lang = "zh"
    pres = menu.present(path, full_screen=False)
    with qtbot.waitSignal(pres.stopShown, timeout=60000):
        pass
    assert pres.caption.text() == "第一层的一号头往回看。"
    view = pres.stage.widget
    assert "blocks.1" in view.heatmap.title.text and "head 1" in view.heatmap.title.text
    want = win.session.store["blocks.1.attn.hook_pattern"][0, 1].numpy()  # [query, key] of the recorded run
    assert (view.heatmap.data == want).all()
    pres.close()


def test_tour_run_renders_every_stop_with_its_caption(tplay, tmp_path):
    from engine.tour import save_tour

    tour = load_tour("how-a-transformer-works")
    small = tour.__class__(tour.title, tuple(s for s in tour.stops if s.id == "beam"))
    save_tour(small, tmp_path / "one.json")
    code, out, err = tplay("tour", "run", tmp_path / "one.json", "--render-dir", tmp_path / "png", "--lang", "zh",
                           "--size", "1000x700")
    assert code == 0, err
    files = sorted(p.name for p in (tmp_path / "png").iterdir())
    assert files == ["01-beam.png"] and "clipped" not in err and "01-beam.png" in out
    from PySide6.QtGui import QImage

    assert QImage(str(tmp_path / "png" / "01-beam.png")).size().toTuple() == (1000, 700)
    code, out, _ = tplay("tour", "list")
    assert code == 0 and "how-a-transformer-works\tHow a Transformer works" in out
    code, _, err = tplay("tour", "run", "no-such-tour", "--render-dir", tmp_path / "x")
    assert code != 0 and "no tour 'no-such-tour'" in err and not (tmp_path / "x").exists()
