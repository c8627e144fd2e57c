"""Sentence embeddings of headless encoders (engine/sentence_embedding.py) against
sentence-transformers' definitions, written out by hand with torch on transformers' BertModel
output; and `tplay logits` refusing to call a hidden state logits."""
import pytest
import torch
import torch.nn.functional as F

from engine import load_model, run
from engine.errors import ModelLoadError
from engine.sentence_embedding import compare, final_hidden_name, pool, pooling_of, read_pooling

from .sentence_models import headless_bert


def _by_hand(h, mask, mode, normalize):
    """sentence_transformers.models.Pooling.forward and Normalize, for one mode."""
    m = mask.unsqueeze(-1).expand(h.size()).float()
    if mode == "cls":
        e = h[:, 0]
    elif mode == "max":
        hh = h.clone()
        hh[m == 0] = -1e9
        e = torch.max(hh, 1)[0]
    else:
        s = torch.sum(h * m, 1)
        n = torch.clamp(m.sum(1), min=1e-9)
        e = s / n if mode == "mean" else s / torch.sqrt(n)
    return F.normalize(e, p=2, dim=1) if normalize else e


TEXTS = ["the dog crossed the street because it was too tired .", "a cat sat on the mat"]


@pytest.mark.parametrize("mode, normalize", [("mean", True), ("mean", False), ("cls", True), ("max", False),
                                             ("mean_sqrt_len", True)])
def test_pooled_embedding_equals_sentence_transformers_definition(tmp_path, mode, normalize):
    ref = headless_bert(tmp_path, pooling=mode, normalize=normalize)
    lm = load_model(str(tmp_path), device="cpu")
    p = pooling_of(lm)
    assert (p.mode, p.normalize) == (mode, normalize)
    rows = [lm.tokenizer.encode(t).ids for t in TEXTS]
    n = max(map(len, rows))
    ids = torch.tensor([r + [0] * (n - len(r)) for r in rows])  # [2, n], the second one padded
    mask = (ids != 0).long()
    assert mask[1].sum() < n
    with torch.no_grad():
        want = _by_hand(ref(ids, attention_mask=mask).last_hidden_state, mask, mode, normalize)
    hidden = run(lm.model, ids, attention_mask=mask.bool()).output  # [2, n, d_model]
    got = pool(hidden, mask, p)
    assert got.shape == (2, 32)
    assert torch.allclose(got, want, atol=1e-5), (got - want).abs().max()
    if normalize:
        assert torch.allclose(got.norm(dim=1), torch.ones(2), atol=1e-5)


def test_compare_gives_embeddings_and_their_cosine(tmp_path):
    ref = headless_bert(tmp_path)
    lm = load_model(str(tmp_path), device="cpu")
    c = compare(lm, TEXTS[0], TEXTS[1], pooling_of(lm))
    want = []
    for t in TEXTS:
        ids = torch.tensor([lm.tokenizer.encode(t).ids])
        with torch.no_grad():
            want.append(_by_hand(ref(ids).last_hidden_state, torch.ones_like(ids), "mean", True)[0])
    assert torch.allclose(c.embeddings[0], want[0], atol=1e-5) and torch.allclose(c.embeddings[1], want[1], atol=1e-5)
    assert c.similarity == pytest.approx(float(want[0] @ want[1]), abs=1e-5)
    assert c.tokens == (len(lm.tokenizer.encode(TEXTS[0]).ids), len(lm.tokenizer.encode(TEXTS[1]).ids))
    same = compare(lm, TEXTS[0], TEXTS[0], pooling_of(lm))
    assert same.similarity == pytest.approx(1.0, abs=1e-6)


def test_folders_without_sentence_transformers_files_have_no_pooling(tmp_path):
    headless_bert(tmp_path, pooling=None)
    assert read_pooling(tmp_path) is None
    assert pooling_of(load_model(str(tmp_path), device="cpu")) is None


@pytest.mark.parametrize("kw, words", [
    (dict(extra_modules=("Dense",)), "module Dense"),
    (dict(modes={"pooling_mode_max_tokens": True}), "pooling_mode_max_tokens, pooling_mode_mean_tokens"),
    (dict(modes={"pooling_mode_weightedmean_tokens": True, "pooling_mode_mean_tokens": False}),
     "pooling_mode_weightedmean_tokens"),
])
def test_pooling_we_do_not_implement_is_refused_by_name(tmp_path, kw, words):
    headless_bert(tmp_path, **kw)
    with pytest.raises(ModelLoadError, match=words):
        read_pooling(tmp_path)


def test_cli_logits_refuses_a_headless_model_in_one_line(tmp_path, capsys):
    from engine.cli import main

    headless_bert(tmp_path)
    lm = load_model(str(tmp_path), device="cpu")
    assert final_hidden_name(lm.model) == "blocks.1.hook_resid_post"
    capsys.readouterr()  # transformers' load report, printed while the folder was made
    assert main(["logits", "-m", str(tmp_path), "--prompt", "the dog"]) == 2
    cap = capsys.readouterr()
    assert cap.out == ""
    lines = cap.err.strip().splitlines()
    assert len(lines) == 1, cap.err
    for words in ("no language-model head", "final hidden state blocks.1.hook_resid_post", "tplay trace",
                  "--names blocks.1.hook_resid_post"):
        assert words in lines[0]


@pytest.mark.slow
def test_minilm_pack_pools_mean_then_normalises():
    from engine.loading.packs import pack_path

    if pack_path("minilm-l6") is None:
        pytest.skip("the minilm-l6 pack is not installed")
    p = read_pooling(pack_path("minilm-l6"))
    assert (p.mode, p.normalize) == ("mean", True)
    assert p.source == "modules.json + 1_Pooling/config.json"
