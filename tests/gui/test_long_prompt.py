"""A long prompt in the debugger: cheap first pass, layers recomputed when asked (held within a
bound), a logit lens over every position filled in chunk by chunk, thumbnails layer by layer."""
import numpy as np
import torch

from engine.lens import logit_lens as engine_lens
from gui import engine_calls
from tests.gui.test_views import NEVER, PROMPT, _lm


def _pair():
    lm = _lm("llama-gqa")
    full = engine_calls.run_prompt(lm, PROMPT, None, NEVER, full=True)
    lean = engine_calls.run_prompt(lm, PROMPT, None, NEVER, full=False)
    return lm, full, lean


def test_first_pass_keeps_cheap_steps_and_layers_come_back_bitwise():
    lm, full, lean = _pair()
    assert lean.replay is not None and lean.nbytes < full.nbytes
    assert "blocks.1.hook_resid_post" in lean and "hook_logits" in lean
    assert lean.missing_layer("blocks.1.attn.hook_pattern") == "blocks.1"
    lean.layer_bytes = 1  # hold one recomputed layer at a time
    for key in ("blocks.0", "blocks.1", "blocks.0"):
        lean.merge(engine_calls.capture_layer(lm, lean, key, NEVER))
        assert lean.held_layers == [key]
        for name in lean.layer_names(key):
            assert torch.equal(lean[name], full[name]), name
    assert lean.missing_layer("blocks.1.attn.hook_pattern") == "blocks.1"  # dropped, cheap steps kept
    assert torch.equal(lean["blocks.1.hook_resid_post"], full["blocks.1.hook_resid_post"])


def test_logit_lens_covers_every_position_chunk_by_chunk(monkeypatch):
    lm, full, lean = _pair()
    monkeypatch.setattr(engine_calls, "LENS_CHUNK", 3)
    seen = []

    def progress(msg):
        part = lean.partial["lens"]
        seen.append((msg, np.isnan(part["probs"][0, :, 0]).copy()))

    got = engine_calls.logit_lens(lm, lean, NEVER, progress=progress, focus=1)
    n = len(lean.ids)
    ref = engine_lens(lm.model, full, k=5)
    assert got["positions"] == list(range(n)) and got["probs"].shape == (lm.cfg.n_layers, n, 5)
    np.testing.assert_allclose(got["probs"], ref.top_probs.numpy(), rtol=1e-5)  # chunked matmuls round apart
    top = lm.tokenizer.token_strings(ref.top_ids[1, :, 0].tolist())
    assert [got["tokens"][1][p][0] for p in range(n)] == top
    assert len(seen) == -(-n // 3) - 1  # after every chunk but the last
    msg, pending = seen[0]
    assert msg == f"3/{n}" and not pending[:3].any() and pending[3:].all()  # the focus's chunk first


def test_thumbnails_recompute_layer_by_layer_with_progress():
    lm, full, lean = _pair()
    msgs = []
    want = engine_calls.thumbnails(lm, full, NEVER)
    got = engine_calls.thumbnails(lm, lean, NEVER, progress=msgs.append)
    assert [n for n, _ in got] == [n for n, _ in want] and len(got) == lm.cfg.n_layers
    for (_, a), (_, b) in zip(got, want):
        np.testing.assert_array_equal(a, b)
    assert msgs == [f"layer {i}/{lm.cfg.n_layers}" for i in range(1, lm.cfg.n_layers)]


def test_a_matrix_view_recomputes_its_head_only_and_the_store_holds_it_apart(monkeypatch, qtbot):
    from gui.views.attention import AttentionView
    from gui.views.base import StepContext

    lm, full, lean = _pair()
    pattern, scores = "blocks.1.attn.hook_pattern", "blocks.1.attn.hook_attn_scores"
    lean.merge(engine_calls.capture_layer(lm, lean, "blocks.1", NEVER, upto=scores, head=3))
    assert lean.has(scores, 3) and lean.has(pattern, 3) and scores not in lean  # not the whole matrix
    assert lean.missing_layer(scores, 2) == "blocks.1" and lean.missing_layer(scores, 3) is None
    assert lean.step(scores, 3).heads == (3,) and lean.step(scores, 3).tensor.shape[1] == 1
    view = AttentionView()
    qtbot.addWidget(view)
    view.show_step(StepContext(lean, scores, head=3, tokenizer=lm.tokenizer))
    np.testing.assert_array_equal(view.heatmap.data, full[scores][0, 3].numpy())  # the same bits
    others = sum(lean[n].numel() * 4 for n in lean.layer_names("blocks.1") if n in lean and n not in lean.cheap)
    assert others > 0  # ln1, q, k, v, … up to the pattern
    assert lean.layer_size("blocks.1") - others == 4 * 7 * 7 * 4  # + scores, scaled, masked, pattern of one head
    lean.merge(engine_calls.capture_layer(lm, lean, "blocks.1", NEVER))  # the whole layer replaces the heads
    assert not lean.head_steps and torch.equal(lean[scores], full[scores])
    lean.drop_layer("blocks.1")
    assert lean.layer_size("blocks.1") == 0 and lean.missing_layer(scores, 3) == "blocks.1"


def test_thumbnails_of_a_long_prompt_come_a_few_heads_at_a_time_with_the_same_bits(monkeypatch):
    lm, full, lean = _pair()
    monkeypatch.setattr(engine_calls, "THUMB_CHUNK_BYTES", 1)  # one head per recomputation
    heads_asked = []
    real = lean.replay.layer

    def layer(*a, **kw):
        heads_asked.append(tuple(kw.get("heads") or ()))
        return real(*a, **kw)

    monkeypatch.setattr(lean.replay, "layer", layer)
    seen = []
    got = engine_calls.thumbnails(lm, lean, NEVER, progress=lambda m: seen.append(lean.progress["thumbs"]))
    want = engine_calls.thumbnails(lm, full, NEVER)
    n_heads = lm.cfg.n_heads
    assert heads_asked == [(h,) for h in range(n_heads)] * lm.cfg.n_layers
    for (_, a), (_, b) in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)
    assert seen == [(i, lm.cfg.n_layers) for i in range(1, lm.cfg.n_layers)] and not lean.progress


def test_paused_extras_resume_where_they_stopped(monkeypatch):
    """A cancelled (paused) thumbnails or lens job leaves its layers / chunks done; the next run
    computes only the rest, and the result is the whole one."""
    import pytest

    from engine.runner import Cancelled

    lm, full, lean = _pair()
    monkeypatch.setattr(engine_calls, "LENS_CHUNK", 3)
    for what, fn in (("thumbs", engine_calls.thumbnails), ("lens", engine_calls.logit_lens)):
        calls = []
        stop = lambda: len(calls) >= 1  # noqa: E731 - cancelled once a layer / chunk is done
        with pytest.raises(Cancelled):
            fn(lm, lean, stop, progress=calls.append)
        assert what in lean.partial
        calls.clear()
        layers = []
        real = lean.replay.layer
        monkeypatch.setattr(lean.replay, "layer", lambda model, key, **kw: layers.append(key) or real(model, key, **kw))
        got = fn(lm, lean, NEVER, progress=calls.append)
        want = fn(lm, full, NEVER)
        if what == "thumbs":
            assert layers == ["blocks.1"]  # layer 0 was done: only the last layer was left
            for (_, a), (_, b) in zip(got, want, strict=True):
                np.testing.assert_array_equal(a, b)
        else:
            assert 0 < len(calls) < -(-len(lean.ids) // 3) - 1  # fewer chunks than a whole run
            np.testing.assert_allclose(got["probs"], want["probs"], rtol=1e-5)
        assert what not in lean.partial
