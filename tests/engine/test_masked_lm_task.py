"""The masked-LM recipe's parts: the task's 15 % / 80-10-10 masking, a micro model that learns,
the BertForMaskedLM export read by transformers, and a few steps of `tplay train bert`."""
import random

import pytest
import torch

from engine.training import MaskedLMTask, TrainConfig, Trainer
from engine.training.setup import bert_config, new_model
from engine.training.tasks import IGNORE

PAD, CLS, SEP, MASK = 0, 2, 3, 4
VOCAB = 40


def _sentences(n=400, seed=0):
    rng = random.Random(seed)
    return [[CLS] + [rng.randrange(5, VOCAB) for _ in range(rng.randrange(4, 12))] + [SEP] for _ in range(n)]


def _task(sentences, **kw):
    return MaskedLMTask(sentences, pad_id=PAD, mask_id=MASK, special_ids=[PAD, 1, CLS, SEP, MASK],
                        vocab_size=VOCAB, **kw)


def test_masking_rates_and_targets_on_chosen_tokens_only():
    sents = _sentences(3000)
    task = _task(sents)
    rng = random.Random(1)
    chosen = masked = randomised = kept = ordinary = 0
    for s in sents:
        inp, tgt = task.mask(rng, s)
        assert len(inp) == len(tgt) == len(s)
        assert inp[0] == CLS and inp[-1] == SEP and tgt[0] == tgt[-1] == IGNORE  # specials never chosen
        for x, t, orig in zip(inp[1:-1], tgt[1:-1], s[1:-1]):
            ordinary += 1
            if t == IGNORE:
                assert x == orig  # not chosen: untouched
                continue
            assert t == orig
            chosen += 1
            if x == MASK:
                masked += 1
            elif x == orig:
                kept += 1
            else:
                randomised += 1
                assert 5 <= x < VOCAB  # a random ordinary token, never a special one
    assert chosen / ordinary == pytest.approx(0.15, abs=0.01)
    # "kept" also holds random draws that hit the same token (1 in 35): about 10 % + 0.3 %
    assert masked / chosen == pytest.approx(0.80, abs=0.02)
    assert randomised / chosen == pytest.approx(0.10 * 34 / 35, abs=0.015)
    assert kept / chosen == pytest.approx(0.10 + 0.10 / 35, abs=0.015)


def test_batch_pads_masks_and_always_predicts_something():
    task = _task([[CLS, 7, SEP], [CLS, 8, 9, 10, 11, SEP]])
    b = task.batch(random.Random(0), 2)
    ids, att, tgt = b.inputs["ids"], b.inputs["attention_mask"], b.targets
    assert ids.shape == att.shape == tgt.shape == (2, 6)
    assert att.tolist() == (ids != PAD).tolist() and att.sum() == 9
    assert (tgt != IGNORE).any()  # never a batch with nothing to predict (0/0 loss)
    assert (tgt[~att] == IGNORE).all()


def test_micro_bert_learns_to_fill_its_sentences():
    torch.set_num_threads(1)
    # four fixed sentences with no shared word: any visible word names the masked ones
    words = list(range(5, 5 + 4 * 6))
    sents = [[CLS, *words[6 * i:6 * i + 6], SEP] for i in range(4)] * 50
    model = new_model(bert_config(VOCAB, PAD, MASK, d_model=32, n_layers=2, n_heads=2, n_ctx=16), 0)
    cfg = TrainConfig(steps=120, batch_size=32, lr=3e-3, warmup=10, every=20, snapshot=False)
    res = Trainer(model, _task(sents), cfg).run()
    assert res.history[-1].loss < 0.5 * res.history[0].loss
    assert res.history[-1].accuracy > 0.45 > 0.2 > res.history[0].accuracy


def test_bert_export_matches_transformers(tmp_path):
    from transformers import BertForMaskedLM

    from engine.loading import load_model
    from engine.training.export import export
    from engine.training.tokenizer_train import train_bert_tokenizer

    tok = train_bert_tokenizer(["the dog crossed the street.", "a cat sat on the mat."])
    model = new_model(bert_config(tok.get_vocab_size(), 0, 4, d_model=32, n_layers=2, n_heads=2, n_ctx=16), 3)
    with torch.no_grad():  # trained models have non-zero biases and norms: make the mapping count
        for p in model.parameters():
            p.add_(0.05 * torch.randn_like(p))
    export(model, tmp_path, tok)
    ref = BertForMaskedLM.from_pretrained(tmp_path, attn_implementation="eager").eval()
    ids = torch.tensor([tok.encode("the dog sat on the [MASK].").ids])
    ours = load_model(str(tmp_path), device="cpu")
    with torch.no_grad():
        want = ref(ids).logits
        assert torch.allclose(ours.model(ids), want, atol=1e-4)
        assert torch.allclose(model(ids), want, atol=1e-4)


def test_cli_train_bert_writes_a_fill_mask_model(tmp_path, capsys):
    from engine import load_model
    from engine.cli import main
    from engine.decoding import fill_masks

    out = tmp_path / "b"
    assert main(["train", "bert", "--out", str(out), "--steps", "3", "--seed", "1"]) == 0
    printed = capsys.readouterr().out
    assert "step     3/3" in printed and "held-out masked-token accuracy" in printed
    lm = load_model(str(out), device="cpu")
    assert (lm.cfg.architecture, lm.tokenizer.kind, lm.model.fills_masks) == ("BertForMaskedLM", "WordPiece", True)
    assert lm.cfg.mask_token_id == lm.tokenizer.token_to_id("[MASK]")
    ev = next(fill_masks(lm.model, lm.tokenizer.encode("the animal didn't [MASK] the street.").ids, top_k=3))
    assert len(ev.top) == 1 and len(next(iter(ev.top.values()))) == 3
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"tplay train bert --out {out} --steps 3 --seed 1 --threads 1" in card
    assert (out / "tokenizer_config.json").is_file()
