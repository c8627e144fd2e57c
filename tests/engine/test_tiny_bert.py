"""The bundled tiny-bert (resources/models/tiny-bert): found like the other bundled models, its
fills equal transformers' fill-mask pipeline on the same files, and its model card's figures
(held-out masked-token accuracy, example fills) are what the engine computes now."""
import json
import re

import pytest
import torch

from engine import load_model
from engine.decoding import fill_masks
from engine.loading.sources import RESOURCES, available
from engine.training import data_bert
from engine.training.evaluate import masked_accuracy
from engine.training.tokenizer_train import BERT_SPECIALS

BERT = RESOURCES / "tiny-bert"
CARD = (BERT / "MODEL_CARD.md").read_text(encoding="utf-8")
SENTENCES = [
    "the animal didn't [MASK] the street.",
    "the animal didn't [MASK] the street because it was too tired.",
    "the cat could not [MASK] the wall because it was too high.",
    "the horse didn't cross the [MASK] because it was too wide.",
    "once upon a time, there was a little [MASK] named lily.",
    "the [MASK] didn't eat the cake because it was too [MASK].",
]


@pytest.fixture(scope="module")
def bert():
    return load_model("tiny-bert", device="cpu")


@pytest.fixture(scope="module")
def fill_mask():
    from transformers import AutoTokenizer, BertForMaskedLM, pipeline

    model = BertForMaskedLM.from_pretrained(BERT, attn_implementation="eager").eval()
    return pipeline("fill-mask", model=model, tokenizer=AutoTokenizer.from_pretrained(BERT), top_k=5, device="cpu")


def test_folder_is_complete_small_and_listed():
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "MODEL_CARD.md"):
        assert (BERT / name).is_file(), name
    assert (BERT / "model.safetensors").stat().st_size < 4 * 2**20  # tiny-gpt's size class
    refs = {r.name: r for r in available()}
    assert refs["tiny-bert"].kind == "bundled"


def test_tplay_models_lists_it_as_a_masked_lm(capsys):
    from engine.cli import main

    assert main(["models", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    row = rows["tiny-bert"]
    assert row["source"] == "bundled" and row["architecture"] == "BertForMaskedLM" and "error" not in row


def test_it_is_a_bert_masked_lm_with_a_wordpiece_tokenizer(bert):
    cfg = bert.cfg
    assert (cfg.family, cfg.architecture, cfg.lm_head, bert.tokenizer.kind) == (
        "encoder", "BertForMaskedLM", "mlm", "WordPiece")
    assert bert.model.fills_masks and cfg.mask_token_id == bert.tokenizer.token_to_id("[MASK]") == 4
    assert 300_000 < bert.n_params < 1_500_000


@pytest.mark.parametrize("text", SENTENCES)
def test_top5_fills_equal_transformers_fill_mask(bert, fill_mask, text):
    want = fill_mask(text)
    want = want if isinstance(want[0], list) else [want]  # one list per [MASK]
    ids = bert.tokenizer.encode(text).ids
    ev = next(fill_masks(bert.model, ids, top_k=5))
    got = [ev.top[p] for p in sorted(ev.top)]
    assert len(got) == len(want) == text.count("[MASK]")
    for ours, theirs in zip(got, want):
        assert [i for i, _ in ours] == [r["token"] for r in theirs]
        assert [p for _, p in ours] == pytest.approx([r["score"] for r in theirs], abs=1e-5)


def test_the_street_sentence_gets_sensible_fills(bert):
    ids = bert.tokenizer.encode("the animal didn't [MASK] the street.").ids
    (top,) = next(fill_masks(bert.model, ids, top_k=5)).top.values()
    words = bert.tokenizer.token_strings([i for i, _ in top])
    assert words[0] == "cross" and top[0][1] > 0.5, list(zip(words, top))
    verbs = {"cross", "leave", "reach", "find", "enter", "climb", "open", "catch", "carry", "eat", "drink"}
    assert len(verbs & set(words)) >= 4, words  # the others are verbs of the corpus, not "the" or "."


def _card_fills() -> dict[str, list[list[tuple[str, float]]]]:
    out: dict[str, list] = {}
    for m in re.finditer(r"### `(.+?)`(?: \(mask \d+\))?\n\n\| rank.*?\n\| ---.*?\n((?:\| .*\n)+)", CARD):
        rows = [re.match(r"\| (\d+) \| (.+?) \| ([0-9.]+) \|", r).groups() for r in m.group(2).strip().splitlines()]
        out.setdefault(m.group(1), []).append([(tok, float(p)) for _, tok, p in rows])
    return out


def test_card_example_fills_are_what_the_engine_computes(bert):
    card = _card_fills()
    assert len(card) >= 5 and "the animal didn't [MASK] the street." in card
    for text, per_mask in card.items():
        ev = next(fill_masks(bert.model, bert.tokenizer.encode(text).ids, top_k=len(per_mask[0])))
        now = [[(bert.tokenizer.token_strings([i])[0], p) for i, p in ev.top[pos]] for pos in sorted(ev.top)]
        assert [[t for t, _ in m] for m in now] == [[t for t, _ in m] for m in per_mask], text
        for m_now, m_card in zip(now, per_mask):
            assert [p for _, p in m_now] == pytest.approx([p for _, p in m_card], abs=6e-5), text


def _card_number(pattern: str) -> float:
    m = re.search(pattern, CARD)
    assert m, pattern
    return float(m.group(1))


def test_heldout_masked_accuracy_matches_its_card(bert):
    _, held = data_bert.corpus()
    ids = [bert.tokenizer.encode(s).ids for s in held]
    specials = [bert.tokenizer.token_to_id(t) for t in BERT_SPECIALS]
    acc = masked_accuracy(bert.model, ids, mask_id=4, pad_id=0, special_ids=specials, seed=0)
    assert acc["top1"] * 100 == pytest.approx(_card_number(r"accuracy: \*\*([0-9.]+)%\*\* top-1"), abs=0.006)
    assert acc["top5"] * 100 == pytest.approx(_card_number(r"top-1, ([0-9.]+)% top-5"), abs=0.006)
    assert acc["top1"] > 0.5


def test_card_states_data_size_command_and_date():
    assert "tplay train bert --out resources/models/tiny-bert --steps" in CARD
    assert re.search(r"\| parameters \| [0-9,]+ \|", CARD) and re.search(r"\| date \| \d{4}-\d{2}-\d{2} \|", CARD)
    assert "## Data" in CARD and "held-out" in CARD.lower()


def test_tplay_logits_names_a_masked_lm_prediction_for_what_it_is(capsys):
    from engine.cli import main

    assert main(["logits", "-m", "tiny-bert", "--prompt", "the animal didn't cross the street.", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "masked-LM candidates for the token at the last position ('[SEP]'" in out
    assert "next-token" not in out
