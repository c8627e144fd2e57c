"""BERT (encoder-only, post-norm, MLM head): parity with transformers' eager BertForMaskedLM,
internal consistency of every recorded step, and clear refusals of bad checkpoints."""
import json

import pytest
import torch

from engine import Capture, run
from engine.errors import ModelLoadError, UnsupportedArchitecture
from engine.loading import load_model
from engine.loading.build import instantiate
from engine.loading.hf_folder import load_folder

from .reference_bert_marian import BERT_VOCAB, bert_mlm, check_attention, check_post_norm_block

LAYERS = 2


def _ours(folder):
    cfg, state = load_folder(folder)
    return instantiate(cfg, state)


def _inputs():
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(1, BERT_VOCAB, (2, 17), generator=g)  # [batch, pos]
    mask = torch.ones(2, 17, dtype=torch.long)
    mask[1, 12:] = 0  # second row: 5 padding positions
    ids[1, 12:] = 0
    types = torch.zeros(2, 17, dtype=torch.long)
    types[:, 9:] = 1  # a second segment
    return ids, mask, types


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bert")
    ref = bert_mlm(folder)
    return ref, _ours(folder)


def test_config_reads_bert_conventions(pair):
    _, model = pair
    cfg = model.cfg
    assert (cfg.family, cfg.norm_placement, cfg.lm_head, cfg.final_norm) == ("encoder", "post", "mlm", False)
    assert cfg.embed_norm and cfg.token_types == 2 and cfg.lm_head_bias and cfg.norm_eps == 1e-12


@pytest.mark.parametrize("padded", [False, True])
def test_logits_patterns_hidden_states_match_reference(pair, padded):
    ref, model = pair
    ids, mask, types = _inputs()
    kw = dict(attention_mask=mask) if padded else {}
    with torch.no_grad():
        out = ref(ids, token_type_ids=types, output_attentions=True, output_hidden_states=True, **kw)
    trace = run(model, ids, token_type_ids=types, capture=Capture(), **kw)
    d = (trace.output - out.logits).abs().max().item()
    assert d <= 1e-4, f"logits differ by {d:.3g}"
    assert torch.allclose(trace["ln_embed.hook_normalized"], out.hidden_states[0], atol=1e-5)
    for L in range(LAYERS):
        pat = trace[f"blocks.{L}.attn.hook_pattern"]
        d = (pat - out.attentions[L]).abs().max().item()
        assert d <= 1e-5, f"layer {L} pattern differs by {d:.3g}"
        h = trace[f"blocks.{L}.hook_resid_post"]
        assert torch.allclose(h, out.hidden_states[L + 1], atol=1e-4), L
    if padded:  # padding keys get exactly zero weight
        assert (trace["blocks.0.attn.hook_pattern"][1, :, :, 12:] == 0).all()
    fast = run(model, ids, token_type_ids=types, capture=None, **kw)
    assert torch.allclose(fast.output, out.logits, atol=1e-4)


def test_untied_decoder_matches_reference(tmp_path):
    ref = bert_mlm(tmp_path, tie_word_embeddings=False)
    model = _ours(tmp_path)
    assert not model.cfg.tie_embeddings
    ids, mask, types = _inputs()
    with torch.no_grad():
        want = ref(ids, attention_mask=mask, token_type_ids=types).logits
    got = run(model, ids, attention_mask=mask, token_type_ids=types).output
    assert (got - want).abs().max().item() <= 1e-4


def test_every_step_recomputes_from_its_inputs(pair):
    _, model = pair
    ids, mask, types = _inputs()
    t = run(model, ids, attention_mask=mask, token_type_ids=types, capture=Capture())
    allowed = mask.bool()[:, None, None, :]  # [batch, 1, 1, key_pos]
    diffs: dict[str, float] = {}
    for L in range(LAYERS):
        b = f"blocks.{L}"
        x = t[f"{b}.hook_resid_pre"]
        check_attention(model, t, f"{b}.attn", x, x, allowed, diffs)
        check_post_norm_block(model, t, b, diffs)
        if L:
            assert torch.equal(x, t[f"blocks.{L - 1}.hook_resid_post"])
    emb = t["hook_embed"] + t["hook_pos_embed"] + t["hook_token_type_embed"]
    assert torch.allclose(t["hook_embed_sum"], emb, atol=1e-6)
    assert torch.equal(t["blocks.0.hook_resid_pre"], t["ln_embed.hook_normalized"])
    head = model.mlm_head
    h = t[f"blocks.{LAYERS - 1}.hook_resid_post"]
    assert torch.allclose(t["mlm_head.hook_transform"], head.act(head.dense(h)), atol=1e-5)
    logits = t["mlm_head.ln.hook_normalized"] @ model.embed.W_E.T + model.unembed.b_U
    assert torch.allclose(t["hook_logits"], logits, atol=1e-4)
    assert max(diffs.values()) <= 1e-5


def test_bert_model_without_head_outputs_last_hidden_state(tmp_path):
    from transformers import BertModel

    ref = bert_mlm(tmp_path)
    cfg_path = tmp_path / "config.json"
    hf = json.loads(cfg_path.read_text())
    hf["architectures"] = ["BertModel"]
    cfg_path.write_text(json.dumps(hf))
    model = _ours(tmp_path)  # the MLM head's tensors are simply not used
    assert model.cfg.lm_head == "none"
    ids, mask, types = _inputs()
    with torch.no_grad():
        want = BertModel.from_pretrained(tmp_path, attn_implementation="eager").eval()(
            ids, attention_mask=mask, token_type_ids=types
        ).last_hidden_state
        assert torch.allclose(want, ref.bert(ids, attention_mask=mask, token_type_ids=types)[0], atol=1e-5)
    got = run(model, ids, attention_mask=mask, token_type_ids=types).output
    assert (got - want).abs().max().item() <= 1e-4


def _write_vocab(folder):
    """A WordPiece vocab.txt for the tiny model, with [MASK] where BERT's usual 103 cannot be."""
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"] + [f"w{i}" for i in range(90)] + ["[MASK]"]
    vocab += [f"x{i}" for i in range(BERT_VOCAB - len(vocab))]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n")
    return vocab


def test_mask_token_id_comes_from_the_tokenizer(tmp_path):
    bert_mlm(tmp_path)
    vocab = _write_vocab(tmp_path)
    loaded = load_model(str(tmp_path), device="cpu")
    assert loaded.cfg.mask_token_id == vocab.index("[MASK]") == 94
    assert loaded.cfg.pad_token_id == 0


# --- bad input: one clear message -----------------------------------------------------------
def _set_config(folder, **changes):
    path = folder / "config.json"
    hf = json.loads(path.read_text())
    hf.update(changes)
    path.write_text(json.dumps(hf))


def test_unsupported_architecture_lists_the_supported_ones(tmp_path):
    bert_mlm(tmp_path)
    _set_config(tmp_path, architectures=["XLNetLMHeadModel"])
    with pytest.raises(UnsupportedArchitecture) as e:
        load_model(str(tmp_path), device="cpu")
    msg = str(e.value)
    assert "XLNetLMHeadModel" in msg
    for arch in ("BertForMaskedLM", "BertModel", "GPT2LMHeadModel", "MarianMTModel"):
        assert arch in msg


@pytest.mark.parametrize(
    "change, words",
    [
        ({"position_embedding_type": "relative_key"}, "position_embedding_type"),
        ({"is_decoder": True}, "is_decoder"),
        ({"hidden_act": "gelu_10"}, "gelu_10"),
    ],
)
def test_unsupported_bert_variants_are_refused(tmp_path, change, words):
    bert_mlm(tmp_path)
    _set_config(tmp_path, **change)
    with pytest.raises(UnsupportedArchitecture, match=words):
        load_folder(tmp_path)


def test_mis_shaped_tensor_is_named(tmp_path):
    from safetensors.torch import load_file, save_file

    bert_mlm(tmp_path)
    path = tmp_path / "model.safetensors"
    tensors = load_file(str(path))
    name = "bert.encoder.layer.1.attention.self.key.weight"
    tensors[name] = tensors[name][:, :-1].contiguous()  # [32, 32] -> [32, 31]
    save_file(tensors, str(path), metadata={"format": "pt"})
    _write_vocab(tmp_path)
    with pytest.raises(ModelLoadError) as e:
        load_model(str(tmp_path), device="cpu")
    msg = str(e.value)
    assert "blocks.1.attn.W_K.weight" in msg and "(32, 31)" in msg and "(32, 32)" in msg


def test_missing_tensor_is_named(tmp_path):
    from safetensors.torch import load_file, save_file

    bert_mlm(tmp_path)
    path = tmp_path / "model.safetensors"
    tensors = load_file(str(path))
    del tensors["cls.predictions.transform.dense.bias"]
    save_file(tensors, str(path), metadata={"format": "pt"})
    with pytest.raises(ModelLoadError, match="cls.predictions.transform.dense.bias"):
        load_folder(tmp_path)
