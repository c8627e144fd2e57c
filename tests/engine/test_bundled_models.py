"""The shipped models in resources/models: they load through our loader, agree with transformers,
translate the example sentences (SEED_PAIRS), score on held-out data, and their cross-attention aligns words."""
import re
from pathlib import Path

import pytest
import torch

from engine import Capture, load_model, run
from engine.decoding import generate
from engine.loading.sources import RESOURCES, available, default_model
from engine.training.data_gpt import corpus as gpt_corpus
from engine.training.data_translation import SEED_PAIRS, split_corpus
from engine.training.evaluate import exact_match, greedy_batch, perplexity

TRANSLATOR = RESOURCES / "tiny-translator"
GPT = RESOURCES / "tiny-gpt"


@pytest.fixture(scope="module")
def translator():
    return load_model("tiny-translator", device="cpu")


@pytest.fixture(scope="module")
def gpt():
    return load_model("tiny-gpt", device="cpu")


def _dec_input(lm, target: str) -> list[int]:
    return [lm.cfg.decoder_start_token_id] + lm.tokenizer.encode(target).ids[:-1]


def test_resources_are_small_and_complete():
    total = sum(f.stat().st_size for f in RESOURCES.parent.rglob("*") if f.is_file())
    assert total < 20 * 2**20, f"resources/ is {total / 2**20:.1f} MB"
    for folder in (TRANSLATOR, GPT):
        for name in ("config.json", "model.safetensors", "tokenizer.json", "MODEL_CARD.md"):
            assert (folder / name).is_file(), folder / name
    names = [r.name for r in available()]
    assert "tiny-translator" in names and "tiny-gpt" in names
    assert default_model() == "tiny-gpt"


def test_translator_is_the_papers_architecture(translator):
    cfg = translator.cfg
    assert cfg.family == "encoder-decoder" and cfg.positional == "sinusoidal"
    assert cfg.norm_placement == "post" and not cfg.final_norm
    assert 2 <= cfg.n_layers <= 3 and cfg.n_heads >= 2 and 96 <= cfg.d_model <= 160
    assert translator.tokenizer.encode("我是一个学生").tokens[:6] == ["我", "是", "一", "个", "学", "生"]


def test_translator_matches_transformers(translator):
    from transformers import MarianMTModel

    ref = MarianMTModel.from_pretrained(TRANSLATOR, attn_implementation="eager").eval()
    L = translator.cfg.n_decoder_layers
    for src, tgt in SEED_PAIRS + (("j'ai une voiture rouge", "i have a red car"),):
        ids = translator.tokenizer.encode(src).ids
        dec = _dec_input(translator, tgt)
        with torch.no_grad():
            out = ref(input_ids=torch.tensor([ids]), decoder_input_ids=torch.tensor([dec]),
                      output_attentions=True)
        tr = run(translator.model, ids, target_ids=dec, capture=Capture(names=["*cross_attn.hook_pattern"]))
        assert torch.allclose(tr.output, out.logits, atol=1e-4), (tr.output - out.logits).abs().max()
        for i in range(L):
            got = tr[f"decoder.blocks.{i}.cross_attn.hook_pattern"]
            assert torch.allclose(got, out.cross_attentions[i], atol=1e-5)


def test_gpt_matches_transformers(gpt):
    from transformers import GPT2LMHeadModel

    ref = GPT2LMHeadModel.from_pretrained(GPT, attn_implementation="eager").eval()
    ids = gpt.tokenizer.encode("Once upon a time, there was a little dog named Tom.").ids
    with torch.no_grad():
        out = ref(torch.tensor([ids]), output_attentions=True)
    tr = run(gpt.model, ids, capture=Capture(names=["*hook_pattern"]))
    assert torch.allclose(tr.output, out.logits, atol=1e-4), (tr.output - out.logits).abs().max()
    for i in range(gpt.cfg.n_layers):
        assert torch.allclose(tr[f"blocks.{i}.attn.hook_pattern"], out.attentions[i], atol=1e-5)


@pytest.mark.parametrize("src,tgt", SEED_PAIRS)
def test_seed_sentences_translate_exactly(translator, src, tgt):
    ids = translator.tokenizer.encode(src).ids
    greedy = generate(translator.model, ids, strategy="greedy", max_new_tokens=20).run()
    assert translator.tokenizer.decode(greedy[0].ids) == tgt
    beams = generate(translator.model, ids, strategy="beam", num_beams=2, num_return=2,
                     max_new_tokens=20).run()
    assert len(beams) == 2
    assert translator.tokenizer.decode(beams[0].ids) == tgt
    assert translator.tokenizer.decode(beams[1].ids) != tgt


def test_heldout_exact_match_at_least_95_percent(translator):
    held = split_corpus().heldout
    assert len(held) >= 500
    # the batched greedy used for scoring agrees with the decoding engine's greedy search
    sample = held[::40]
    fast = greedy_batch(translator.model, [translator.tokenizer.encode(p.src).ids for p in sample])
    for p, ids in zip(sample, fast):
        ref = generate(translator.model, translator.tokenizer.encode(p.src).ids, max_new_tokens=24).run()
        assert translator.tokenizer.decode(ids) == translator.tokenizer.decode(ref[0].ids), p.src
    for lang in ("fr", "zh"):
        pairs = [p for p in held if p.lang == lang]
        score, misses = exact_match(translator.model, translator.tokenizer, pairs)
        assert score >= 0.95, (lang, score, misses[:5])


@pytest.mark.parametrize("src,tgt,pairs", [
    ("j'ai une voiture rouge", "i have a red car", {"red": "rouge", "car": "voiture"}),
    ("nous avons deux chiens noirs", "we have two black dogs", {"black": "noirs", "dogs": "chiens"}),
    ("我有一辆红色的车", "i have a red car", {"red": "红", "car": "车"}),
])
def test_cross_attention_follows_reordered_words(translator, src, tgt, pairs):
    """At the decoder step that *emits* a target word, the last decoder layer's cross-attention,
    averaged over its heads, peaks on that word's source: French and Chinese put the colour
    after the noun (or before 的), English before it, so the peak moves backwards and forwards.
    The last layer is the one whose output feeds the logits; averaging the heads asks whether
    the layer as a whole reads the right word, without cherry-picking one head."""
    tok = translator.tokenizer
    src_tokens = tok.encode(src).tokens
    tgt_tokens = tok.encode(tgt).tokens
    dec = _dec_input(translator, tgt)
    last = translator.cfg.n_decoder_layers - 1
    name = f"decoder.blocks.{last}.cross_attn.hook_pattern"
    pattern = run(translator.model, tok.encode(src).ids, target_ids=dec, capture=Capture(names=[name]))[name]
    avg = pattern[0].mean(0)  # [head, query_pos, key_pos] -> [query_pos, key_pos]
    for target_word, source_word in pairs.items():
        q = tgt_tokens.index(target_word)  # the step whose output is target_word
        peak = src_tokens[int(avg[q].argmax())]
        assert peak == source_word, (target_word, peak, avg[q].tolist())


def _card_number(folder: Path, label: str) -> float:
    text = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    m = re.search(label + r"[^\d]*([\d.]+)", text)
    assert m, f"{label} missing from {folder.name}'s card"
    return float(m.group(1))


def test_gpt_heldout_perplexity_matches_its_card(gpt):
    _, held = gpt_corpus()
    eot = gpt.cfg.eos_token_id
    stream = []
    for s in held:
        stream += gpt.tokenizer.encode(s).ids + [eot]
    ppl = perplexity(gpt.model, stream, 64)
    assert ppl < 3.0
    assert ppl == pytest.approx(_card_number(GPT, "Held-out perplexity"), abs=2e-3)


def test_gpt_continues_in_its_corpus_style(gpt):
    prompt = "Once upon a time, there was a"
    ids = gpt.tokenizer.encode(prompt).ids
    seq = generate(gpt.model, ids, strategy="greedy", max_new_tokens=30).run()[0]
    text = prompt + gpt.tokenizer.decode(seq.ids)
    assert re.match(r"Once upon a time, there was a [a-z]+ [a-z]+ named ([A-Z][a-z]+)\. \1 lived in a", text), text


def test_cards_state_command_steps_and_date():
    for folder, what in ((TRANSLATOR, "translator"), (GPT, "gpt")):
        card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
        assert f"tplay train {what} --out" in card
        assert re.search(r"\| steps \| \d+ \|", card)
        assert re.search(r"\| date \| \d{4}-\d{2}-\d{2} \|", card)
        assert "final training loss" in card


def test_cli_generate_translates_the_seed(capsys):
    import json

    from engine.cli import main

    assert main(["generate", "-m", "tiny-translator", "--prompt", "je suis étudiant", "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["sequences"][0]["text"] == "i am a student"
