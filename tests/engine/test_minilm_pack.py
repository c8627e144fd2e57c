"""The real `minilm-l6` pack (MiniLM-L6, BERT architecture, no MLM head) against transformers
loading the very same folder: hidden states and token ids."""
import pytest
import torch

from engine import Capture, run
from engine.loading import load_model

pytestmark = pytest.mark.slow

TEXTS = [
    "The animal didn't cross the street because it was too tired.",
    "je suis étudiant",
    "我是一个学生",
    "Café naïve résumé — ÀÉÎÕÜ façade coöperate",
    "Hello, World!!! 123,456.78 e=mc^2 #hashtag @user https://example.com/a?b=c",
    "  leading and trailing spaces\tand\ttabs\nand newlines  ",
    "emoji 🙂🚀 and symbols ∑∫√ and ½ ligature ﬁ",
    "Pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism",
    "The capital of France is [MASK].",
    "ちょっと日本語と한국어 mixed with English",
    "",
    "supercalifragilistic " * 60,  # longer than the tokenizer.json's 128-token truncation
]


@pytest.fixture(scope="module")
def ours():
    return load_model("minilm-l6", device="cpu", dtype="float32")


@pytest.fixture(scope="module")
def theirs(ours):
    from transformers import AutoTokenizer, BertModel

    folder = ours.ref.path
    model = BertModel.from_pretrained(folder, attn_implementation="eager").eval()
    return model, AutoTokenizer.from_pretrained(folder)


def test_pack_is_a_bert_encoder_without_head(ours):
    cfg = ours.cfg
    assert (cfg.family, cfg.architecture, cfg.lm_head, cfg.n_layers, cfg.d_model) == (
        "encoder", "BertModel", "none", 6, 384
    )
    assert cfg.mask_token_id == ours.tokenizer.token_to_id("[MASK]") == 103


@pytest.mark.parametrize("text", TEXTS)
def test_token_ids_equal_transformers(ours, theirs, text):
    _, tok = theirs
    want = tok(text)["input_ids"]
    got = ours.tokenizer.encode(text).ids
    assert got == want
    assert got[0] == tok.cls_token_id and got[-1] == tok.sep_token_id


def test_last_block_equals_last_hidden_state(ours, theirs):
    model, _ = theirs
    worst = 0.0
    for text in TEXTS[:4] + TEXTS[8:10]:
        ids = torch.tensor([ours.tokenizer.encode(text).ids])  # [1, pos]
        with torch.no_grad():
            out = model(ids, output_attentions=True)
        trace = run(ours.model, ids, capture=Capture(names=["blocks.5.hook_resid_post", "*hook_pattern"]))
        worst = max(worst, (trace["blocks.5.hook_resid_post"] - out.last_hidden_state).abs().max().item())
        for L in range(6):
            d = (trace[f"blocks.{L}.attn.hook_pattern"] - out.attentions[L]).abs().max().item()
            assert d <= 1e-5, f"layer {L} pattern differs by {d:.3g} on {text!r}"
        assert torch.allclose(trace.output, out.last_hidden_state, atol=1e-4)
    assert worst <= 1e-4, f"blocks.5.hook_resid_post differs by {worst:.3g}"


def test_padded_batch_equals_transformers(ours, theirs):
    model, tok = theirs
    batch = tok(TEXTS[:3], padding=True, return_tensors="pt")
    with torch.no_grad():
        want = model(**batch).last_hidden_state
    trace = run(
        ours.model, batch["input_ids"], attention_mask=batch["attention_mask"],
        token_type_ids=batch["token_type_ids"], capture=Capture(names=["blocks.5.hook_resid_post"]),
    )
    keep = batch["attention_mask"].bool()  # compare real tokens; pads are garbage in both
    d = (trace["blocks.5.hook_resid_post"] - want)[keep].abs().max().item()
    assert d <= 1e-4, f"padded batch differs by {d:.3g}"
