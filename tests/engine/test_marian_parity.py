"""Marian (encoder-decoder, post-norm, sinusoidal positions): parity with transformers' eager
MarianMTModel, internal consistency of every recorded step, and refusals of other variants."""
import json
import math

import pytest
import torch

from engine import Capture, run
from engine.errors import UnsupportedArchitecture
from engine.loading.build import instantiate
from engine.loading.hf_folder import load_folder
from engine.models.components import sinusoidal_table

from .reference_bert_marian import (
    MARIAN_PAD,
    MARIAN_VOCAB,
    check_attention,
    check_post_norm_block,
    marian,
)

ENC, DEC = 2, 3


def _ours(folder):
    cfg, state = load_folder(folder)
    return instantiate(cfg, state)


def _inputs():
    g = torch.Generator().manual_seed(5)
    src = torch.randint(1, MARIAN_PAD, (2, 11), generator=g)  # [batch, src_pos]
    src_mask = torch.ones(2, 11, dtype=torch.long)
    src_mask[1, 8:] = 0  # second source sentence is shorter: 3 pads
    src[1, 8:] = MARIAN_PAD
    tgt = torch.randint(1, MARIAN_PAD, (2, 7), generator=g)  # [batch, tgt_pos]
    tgt[:, 0] = MARIAN_PAD  # decoder_start_token_id
    return src, src_mask, tgt


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("marian")
    ref = marian(folder)
    return ref, _ours(folder)


def _reference(ref, src, src_mask, tgt):
    with torch.no_grad():
        return ref(
            input_ids=src, attention_mask=src_mask, decoder_input_ids=tgt,
            output_attentions=True, output_hidden_states=True,
        )


def test_config_reads_marian_conventions(pair):
    _, model = pair
    cfg = model.cfg
    assert (cfg.n_layers, cfg.n_decoder_layers, cfg.norm_placement, cfg.positional) == (
        ENC, DEC, "post", "sinusoidal"
    )
    assert cfg.embed_scale == math.sqrt(32) and cfg.activation == "swish" and not cfg.final_norm
    assert (cfg.decoder_start_token_id, cfg.pad_token_id, cfg.eos_token_id) == (MARIAN_PAD, MARIAN_PAD, 0)
    assert model.decoder.embed.W_E is model.encoder.embed.W_E  # one shared table


def test_sinusoidal_table_is_marians(pair):
    ref, _ = pair
    theirs = ref.model.encoder.embed_positions.weight  # [n_pos, d_model], sin half | cos half
    ours = sinusoidal_table(*theirs.shape)
    assert (ours - theirs).abs().max().item() <= 1e-6
    odd = sinusoidal_table(10, 7)  # odd width: 4 sines then 3 cosines, like Marian's sentinel
    assert torch.allclose(odd[:, 4:][0], torch.ones(3))


@pytest.mark.parametrize("padded", [False, True])
def test_logits_patterns_hidden_states_match_reference(pair, padded):
    ref, model = pair
    src, src_mask, tgt = _inputs()
    if not padded:
        src_mask = torch.ones_like(src_mask)
    out = _reference(ref, src, src_mask, tgt)
    trace = run(model, src, target_ids=tgt, attention_mask=src_mask, capture=Capture())
    d = (trace.output - out.logits).abs().max().item()
    assert d <= 1e-4, f"logits differ by {d:.3g}"
    assert torch.allclose(trace["encoder.blocks.0.hook_resid_pre"], out.encoder_hidden_states[0], atol=1e-5)
    assert torch.allclose(trace["decoder.blocks.0.hook_resid_pre"], out.decoder_hidden_states[0], atol=1e-5)
    worst = 0.0
    for L in range(ENC):
        worst = max(worst, (trace[f"encoder.blocks.{L}.attn.hook_pattern"] - out.encoder_attentions[L]).abs().max().item())
        h = trace[f"encoder.blocks.{L}.hook_resid_post"]
        assert torch.allclose(h, out.encoder_hidden_states[L + 1], atol=1e-4), L
    for L in range(DEC):
        for ours, theirs in (("attn", out.decoder_attentions[L]), ("cross_attn", out.cross_attentions[L])):
            worst = max(worst, (trace[f"decoder.blocks.{L}.{ours}.hook_pattern"] - theirs).abs().max().item())
        h = trace[f"decoder.blocks.{L}.hook_resid_post"]
        assert torch.allclose(h, out.decoder_hidden_states[L + 1], atol=1e-4), L
    assert worst <= 1e-5, f"an attention pattern differs by {worst:.3g}"
    assert torch.allclose(trace["encoder.hook_out"], out.encoder_last_hidden_state, atol=1e-4)
    if padded:
        assert (trace["decoder.blocks.0.cross_attn.hook_pattern"][1, :, :, 8:] == 0).all()
    fast = run(model, src, target_ids=tgt, attention_mask=src_mask, capture=None)
    assert torch.allclose(fast.output, out.logits, atol=1e-4)


@pytest.mark.parametrize(
    "settings",
    [
        dict(share_encoder_decoder_embeddings=False),
        dict(tie_word_embeddings=False),
        dict(scale_embedding=False, activation_function="gelu"),
    ],
    ids=["separate-embeddings", "untied-lm-head", "unscaled-gelu"],
)
def test_other_marian_settings_match_reference(tmp_path, settings):
    ref = marian(tmp_path, **settings)
    model = _ours(tmp_path)
    src, src_mask, tgt = _inputs()
    want = _reference(ref, src, src_mask, tgt).logits
    got = run(model, src, target_ids=tgt, attention_mask=src_mask).output
    assert (got - want).abs().max().item() <= 1e-4
    shared = all(settings.get(k, True) for k in ("share_encoder_decoder_embeddings", "tie_word_embeddings"))
    assert (model.decoder.embed.W_E is model.encoder.embed.W_E) == shared


def test_every_step_recomputes_from_its_inputs(pair):
    _, model = pair
    src, src_mask, tgt = _inputs()
    t = run(model, src, target_ids=tgt, attention_mask=src_mask, capture=Capture())
    diffs: dict[str, float] = {}
    pad = src_mask.bool()[:, None, None, :]  # [batch, 1, 1, src_pos]
    n = tgt.shape[1]
    causal = torch.ones(n, n, dtype=torch.bool).tril()[None, None]  # [1, 1, tgt_pos, tgt_pos]
    scale = model.cfg.embed_scale
    for stack, ids in (("encoder", src), ("decoder", tgt)):
        emb = model.get_submodule(stack).embed.W_E[ids] * scale
        assert torch.allclose(t[f"{stack}.hook_embed"], emb, atol=1e-6)
        first = t[f"{stack}.hook_embed"] + t[f"{stack}.hook_pos_embed"]
        assert torch.allclose(t[f"{stack}.blocks.0.hook_resid_pre"], first, atol=1e-6)
    enc_out = t["encoder.hook_out"]
    assert torch.equal(enc_out, t[f"encoder.blocks.{ENC - 1}.hook_resid_post"])
    for L in range(ENC):
        b = f"encoder.blocks.{L}"
        x = t[f"{b}.hook_resid_pre"]
        check_attention(model, t, f"{b}.attn", x, x, pad, diffs)
        check_post_norm_block(model, t, b, diffs)
    for L in range(DEC):
        b = f"decoder.blocks.{L}"
        x = t[f"{b}.hook_resid_pre"]
        check_attention(model, t, f"{b}.attn", x, x, causal, diffs)
        check_attention(model, t, f"{b}.cross_attn", t[f"{b}.hook_resid_mid"], enc_out, pad, diffs)
        check_post_norm_block(model, t, b, diffs)
        if L:
            assert torch.equal(x, t[f"decoder.blocks.{L - 1}.hook_resid_post"])
    h = t[f"decoder.blocks.{DEC - 1}.hook_resid_post"]
    logits = h @ model.decoder.embed.W_E.T + model.unembed.b_U
    assert torch.allclose(t["hook_logits"], logits, atol=1e-4)
    assert max(diffs.values()) <= 1e-5


@pytest.mark.parametrize(
    "change, words",
    [
        ({"normalize_before": True}, "normalize_before"),
        ({"add_final_layer_norm": True}, "add_final_layer_norm"),
        ({"static_position_embeddings": False}, "static_position_embeddings"),
        ({"decoder_ffn_dim": 64}, "decoder_ffn_dim"),
        ({"share_encoder_decoder_embeddings": False, "decoder_vocab_size": 90}, "vocabularies"),
        ({"activation_function": "no_such_act"}, "no_such_act"),
    ],
)
def test_unsupported_marian_variants_are_refused(tmp_path, change, words):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({
        "architectures": ["MarianMTModel"], "vocab_size": MARIAN_VOCAB, "d_model": 32,
        "encoder_layers": 1, "decoder_layers": 1, "encoder_attention_heads": 4,
        "decoder_attention_heads": 4, "encoder_ffn_dim": 48, "decoder_ffn_dim": 48,
        "activation_function": "swish", **change,
    }))
    with pytest.raises(UnsupportedArchitecture, match=words):
        load_folder(tmp_path)
