"""engine.lens against Hugging Face GPT-2: ln_f + lm_head applied to each layer's hidden state."""
import pytest
import torch

from engine import Capture, load_model, run
from engine.errors import InputError
from engine.lens import logit_lens, resid_names, top_k

from .reference import gpt2


def _word_tokenizer(n):
    from tokenizers import Tokenizer, models, pre_tokenizers

    tok = Tokenizer(models.WordLevel({f"w{i}": i for i in range(n)}, unk_token="w0"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    return tok


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gpt2")
    hf = gpt2(folder)
    _word_tokenizer(hf.config.vocab_size).save(str(folder / "tokenizer.json"))
    return hf, load_model(str(folder), device="cpu")


def test_lens_matches_reference_per_layer(pair):
    hf, lm = pair
    ids = [5, 17, 3, 44, 9, 60]
    trace = run(lm.model, ids, capture=Capture(names=resid_names(lm.model)))
    lens = logit_lens(lm.model, trace, k=4)
    with torch.no_grad():
        out = hf(torch.tensor([ids]), output_hidden_states=True)
    n = lm.cfg.n_layers
    assert lens.top_ids.shape == (n, len(ids), 4)
    for layer in range(n):
        if layer == n - 1:
            logits = out.logits[0]  # HF's last hidden state already went through ln_f
        else:
            logits = hf.lm_head(hf.transformer.ln_f(out.hidden_states[layer + 1]))[0]
        p, i = torch.softmax(logits, -1).topk(4, dim=-1)
        torch.testing.assert_close(lens.top_probs[layer], p, atol=1e-5, rtol=1e-4)
        assert torch.equal(lens.top_ids[layer], i)


def test_top_k_is_softmax_of_logits():
    logits = torch.tensor([[0.0, 1.0, 2.0]])
    p, i = top_k(logits, 2)
    e = torch.exp(torch.tensor([0.0, 1.0, 2.0]))
    assert i.tolist() == [[2, 1]]
    torch.testing.assert_close(p[0], (e / e.sum())[[2, 1]])


def test_lens_needs_the_residuals(pair):
    _, lm = pair
    trace = run(lm.model, [1, 2], capture=Capture(names=["hook_embed"]))
    with pytest.raises(InputError, match="lacks"):
        logit_lens(lm.model, trace)


def test_lens_can_be_cancelled_between_layers(pair):
    from engine import Cancelled

    _, lm = pair
    trace = run(lm.model, [1, 2, 3], capture=Capture(names=resid_names(lm.model)))
    with pytest.raises(Cancelled):
        logit_lens(lm.model, trace, cancel=lambda: True)


def test_lens_on_selected_positions_equals_the_full_lens(pair):
    _, lm = pair
    trace = run(lm.model, [4, 8, 15, 16, 23, 42], capture=Capture(names=resid_names(lm.model)))
    full = logit_lens(lm.model, trace, k=3)
    part = logit_lens(lm.model, trace, k=3, positions=[1, 4])
    assert torch.equal(part.top_ids, full.top_ids[:, [1, 4]])
    torch.testing.assert_close(part.top_probs, full.top_probs[:, [1, 4]])


def test_lens_of_the_last_layer_is_the_soft_capped_logits():
    """A final-logit soft-cap (Gemma 2): the lens shows what hook_logits holds, the capped logits."""
    from engine.lens import HEADS

    from .random_models import random_model

    model = random_model("gemma2-like")
    ids = [5, 17, 3, 44, 9, 60]
    trace = run(model, ids, capture=Capture())
    head = HEADS["decoder"]
    with torch.no_grad():
        last = head(model, trace["blocks.1.hook_resid_post"])
    torch.testing.assert_close(last, trace["hook_logits"])
    assert not torch.allclose(trace["hook_logits"], trace["hook_logits_uncapped"])  # the cap bites
    assert trace["hook_logits"].abs().max() < model.cfg.final_softcap
