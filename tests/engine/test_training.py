"""engine.training: corpus, tokenizer, loop (loss falls, deterministic, pausable), export."""
import json
import threading

import pytest
import torch

from engine.training import Control, LanguageModelTask, Seq2SeqTask, TrainConfig, Trainer, lr_at
from engine.training.data_translation import SEED_PAIRS, all_pairs, split_corpus
from engine.training.setup import gpt_config, new_model, translator_config
from engine.training.tokenizer_train import train_translator_tokenizer


@pytest.fixture(scope="module")
def split():
    return split_corpus()


@pytest.fixture(scope="module")
def tok(split):
    return train_translator_tokenizer([t for p in split.train for t in (p.src, p.tgt)])


def _micro_translator(tok, split, n=200, seed=0):
    enc = lambda s: tok.encode(s).ids  # noqa: E731
    pairs = [(enc(p.src), enc(p.tgt)) for p in split.train[:n]]
    cfg = translator_config(tok.get_vocab_size(), 0, 1, d_model=32, n_layers=1, n_heads=2, d_mlp=64)
    model = new_model(cfg, seed, std=0.02, embed_std=cfg.d_model ** -0.5)
    return model, Seq2SeqTask(pairs, 0, 0)


# --- corpus -------------------------------------------------------------------------------------
def test_corpus_has_the_seeds_and_grammar(split):
    pairs = {p.src: p.tgt for p in all_pairs()}
    train = {p.src for p in split.train}
    for src, tgt in SEED_PAIRS:
        assert pairs[src] == tgt and src in train
    # agreement, articles, reordering, negation, measure words (written out by hand here)
    assert pairs["elle n'est pas contente"] == "she is not happy"
    assert pairs["j'ai une voiture rouge"] == "i have a red car"
    assert pairs["我有一辆红色的车"] == "i have a red car"
    assert pairs["il n'a pas de chien noir"] == "he does not have a black dog"
    assert pairs["nous avons deux petits chats"] == "we have two small cats"
    assert pairs["elles aiment les pommes vertes"] == "they like green apples"
    assert pairs["tu es ingénieur"] == "you are an engineer"
    assert pairs["他们不是医生"] == "they are not doctors"
    assert pairs["谢谢"] == "thanks"


def test_heldout_is_large_disjoint_and_bilingual(split):
    train = {p.src for p in split.train}
    held = [p for p in split.heldout]
    assert len(held) >= 500
    assert not train & {p.src for p in held}
    assert sum(p.lang == "fr" for p in held) >= 250 and sum(p.lang == "zh" for p in held) >= 250
    assert not {s for s, _ in SEED_PAIRS} & {p.src for p in held}


def test_tokenizer_keeps_chinese_characters_and_appends_eos(tok):
    enc = tok.encode("我是一个学生")
    assert enc.tokens == ["我", "是", "一", "个", "学", "生", "</s>"]
    assert tok.encode("je suis étudiant").tokens == ["je", "suis", "étudiant", "</s>"]
    assert tok.decode(tok.encode("i am a student").ids) == "i am a student"


def test_tokenizer_is_the_same_on_every_build(split, tok):
    again = train_translator_tokenizer([t for p in split.train for t in (p.src, p.tgt)])
    assert again.to_str() == tok.to_str()
    assert tok.token_to_id("<pad>") == 0 and tok.token_to_id("</s>") == 1


# --- loop ---------------------------------------------------------------------------------------
def test_lr_schedule_warms_up_then_decays():
    cfg = TrainConfig(steps=100, lr=1e-3, warmup=10, min_lr_ratio=0.1)
    assert lr_at(0, cfg) == pytest.approx(1e-4)
    assert lr_at(9, cfg) == pytest.approx(1e-3)
    assert lr_at(55, cfg) == pytest.approx(0.55e-3)
    assert lr_at(99, cfg) == pytest.approx(1e-4, rel=0.01)


def test_micro_translator_loss_falls(tok, split):
    torch.set_num_threads(1)
    model, task = _micro_translator(tok, split)
    cfg = TrainConfig(steps=40, batch_size=16, lr=3e-3, warmup=5, every=10, seed=0)
    res = Trainer(model, task, cfg).run()
    losses = [r.loss for r in res.history]
    assert len(losses) == 4
    assert losses[-1] < 0.6 * losses[0], losses
    assert res.history[-1].accuracy > res.history[0].accuracy


def test_micro_gpt_loss_falls():
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(0)
    pattern = torch.randint(0, 20, (12,), generator=g).tolist()
    stream = pattern * 60  # a repeated phrase: easy to learn
    model = new_model(gpt_config(20, 0, d_model=32, n_layers=1, n_heads=2, n_ctx=32), 0)
    cfg = TrainConfig(steps=40, batch_size=8, lr=3e-3, warmup=5, every=10, snapshot=False)
    res = Trainer(model, LanguageModelTask(stream, 16), cfg).run()
    assert res.history[-1].loss < 0.5 * res.history[0].loss


def test_training_is_deterministic_with_a_seed(tok, split):
    torch.set_num_threads(1)
    runs = []
    for _ in range(2):
        model, task = _micro_translator(tok, split, n=64, seed=3)
        cfg = TrainConfig(steps=8, batch_size=8, every=2, seed=3, snapshot=False)
        runs.append(([r.loss for r in Trainer(model, task, cfg).run().history], model.state_dict()))
    assert runs[0][0] == runs[1][0]
    assert all(torch.equal(runs[0][1][k], runs[1][1][k]) for k in runs[0][1])
    model, task = _micro_translator(tok, split, n=64, seed=4)
    other = Trainer(model, task, TrainConfig(steps=8, batch_size=8, every=2, seed=4, snapshot=False)).run()
    assert [r.loss for r in other.history] != runs[0][0]


def test_reports_carry_snapshot_of_distribution_and_attention(tok, split):
    model, task = _micro_translator(tok, split, n=32)
    seen = []
    Trainer(model, task, TrainConfig(steps=4, batch_size=4, every=2), callbacks=[seen.append]).run()
    assert [r.step for r in seen] == [2, 4]
    r = seen[-1]
    assert r.lr > 0 and 0 <= r.accuracy <= 1
    snap = r.snapshot
    n_out = len(snap.labels)
    assert snap.probs.shape == (n_out, tok.get_vocab_size())
    assert torch.allclose(snap.probs.sum(-1), torch.ones(n_out), atol=1e-5)
    cross = snap.attention["decoder.blocks.0.cross_attn.hook_pattern"]
    assert cross.shape == (2, n_out, len(snap.input_ids))  # [head, query_pos, key_pos]
    assert "encoder.blocks.0.attn.hook_pattern" in snap.attention


def test_stop_between_steps(tok, split):
    model, task = _micro_translator(tok, split, n=32)
    control = Control()

    def cb(r):
        if r.step == 3:
            control.stop()

    res = Trainer(model, task, TrainConfig(steps=50, batch_size=4, every=1, snapshot=False),
                  callbacks=[cb], control=control).run()
    assert res.stopped_early and res.steps_done == 3


def test_pause_holds_the_loop_until_resume(tok, split):
    model, task = _micro_translator(tok, split, n=32)
    control = Control()
    paused = threading.Event()
    trainer = Trainer(model, task, TrainConfig(steps=6, batch_size=4, every=1, snapshot=False),
                      control=control)

    def cb(r):
        if r.step == 2:
            control.pause()
            paused.set()

    trainer.callbacks.append(cb)
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("res", trainer.run()))
    t.start()
    assert paused.wait(30)
    t.join(timeout=0.5)
    assert t.is_alive() and trainer.step == 2 and control.paused
    control.resume()
    t.join(timeout=60)
    assert not t.is_alive() and out["res"].steps_done == 6


# --- export -------------------------------------------------------------------------------------
def _perturbed(model, seed=1):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=g) * 0.05)
    model.eval()
    return model


def test_marian_export_matches_transformers(tmp_path):
    from transformers import MarianMTModel

    from engine.training.export import export

    cfg = translator_config(50, 0, 1, d_model=32, n_layers=2, n_heads=4, d_mlp=48, n_ctx=32)
    ours = _perturbed(new_model(cfg, 0))
    export(ours, tmp_path)
    ref = MarianMTModel.from_pretrained(tmp_path, attn_implementation="eager").eval()
    src = torch.tensor([[5, 9, 13, 22, 1]])
    tgt = torch.tensor([[0, 7, 8, 30]])
    with torch.no_grad():
        want = ref(input_ids=src, decoder_input_ids=tgt).logits
        got = ours(src, tgt)
    assert torch.allclose(got, want, atol=1e-4), (got - want).abs().max()


def test_gpt2_export_matches_transformers(tmp_path):
    from transformers import GPT2LMHeadModel

    from engine.training.export import export

    ours = _perturbed(new_model(gpt_config(40, 0, d_model=32, n_layers=2, n_heads=4, n_ctx=16), 0))
    export(ours, tmp_path)
    ref = GPT2LMHeadModel.from_pretrained(tmp_path, attn_implementation="eager").eval()
    ids = torch.tensor([[3, 1, 4, 1, 5, 9, 2, 6]])
    with torch.no_grad():
        want = ref(ids).logits
        got = ours(ids)
    assert torch.allclose(got, want, atol=1e-4), (got - want).abs().max()


# --- CLI ----------------------------------------------------------------------------------------
def test_cli_train_writes_a_loadable_model(tmp_path, capsys):
    from engine import load_model
    from engine.cli import main

    out = tmp_path / "g"
    assert main(["train", "gpt", "--out", str(out), "--steps", "4", "--seed", "1"]) == 0
    printed = capsys.readouterr().out
    assert "step     4/4" in printed and "held-out perplexity" in printed
    lm = load_model(str(out), device="cpu")
    assert lm.cfg.architecture == "GPT2LMHeadModel" and lm.tokenizer.kind == "BPE"
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"tplay train gpt --out {out} --steps 4 --seed 1 --threads 1" in card


@pytest.mark.parametrize("args", [["--steps", "0"], ["--threads", "0"]])
def test_cli_train_refuses_bad_numbers_in_one_line(tmp_path, capsys, args):
    from engine.cli import main

    assert main(["train", "translator", "--out", str(tmp_path / "x"), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("tplay: error:")


def test_export_over_a_folder_of_other_files_is_refused(tmp_path):
    from engine.errors import InputError
    from engine.training.export import export

    ours = new_model(gpt_config(40, 0, d_model=32, n_layers=2, n_heads=4, n_ctx=16), 0)
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="notes.txt"):
        export(ours, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_an_interrupted_export_leaves_the_previous_model(tmp_path, monkeypatch):
    from engine.training import export as export_mod

    out = tmp_path / "m"
    export_mod.export(new_model(gpt_config(40, 0, d_model=32, n_layers=2, n_heads=4, n_ctx=16), 0), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(export_mod, "save_file", interrupted)
    other = new_model(translator_config(50, 0, 1, d_model=32, n_layers=2, n_heads=4, d_mlp=48, n_ctx=32), 0)
    with pytest.raises(KeyboardInterrupt):
        export_mod.export(other, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["m"]
    assert json.loads((out / "config.json").read_text())["architectures"] == ["GPT2LMHeadModel"]


@pytest.mark.parametrize("args", [["--every", "0"], ["--every", "-5"], ["--out", ""]])
def test_cli_train_refuses_bad_every_and_out_before_training(tmp_path, capsys, args):
    from engine.cli import main

    argv = ["train", "gpt", "--out", str(tmp_path / "x"), "--steps", "2", *args]
    assert main(argv) == 2
    cap = capsys.readouterr()
    err = cap.err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("tplay: error:") and "step" not in cap.out
