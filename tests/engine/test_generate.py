"""Greedy and sampling: parity with transformers, seeded repeats, step traces, masked filling."""
import pytest
import torch

from engine import Capture, run
from engine.decoding import Generation, GenerationOptions, fill_masks, generate
from engine.errors import InputError

from .decoding_models import FAMILIES
from .random_models import random_model

PROMPT = [5, 17, 33, 2, 9]


@pytest.mark.parametrize("fam", list(FAMILIES))
def test_greedy_tokens_identical_to_reference(fam, tmp_path):
    ref, ours = FAMILIES[fam](tmp_path)
    pl = 1 if fam == "marian" else len(PROMPT)
    with torch.no_grad():
        out = ref.generate(torch.tensor([PROMPT]), max_new_tokens=15, do_sample=False)
    gen = generate(ours, PROMPT, max_new_tokens=15)
    gen.run()
    assert gen.sequences[0].ids == out[0, pl:].tolist()
    # with the non-sampling processors too (repetition penalty, min-new-tokens)
    eos = int(out[0, pl + 1])
    with torch.no_grad():
        out = ref.generate(torch.tensor([PROMPT]), max_new_tokens=15, do_sample=False, repetition_penalty=1.5,
                           min_new_tokens=4, eos_token_id=eos)
    gen = generate(ours, PROMPT, max_new_tokens=15, repetition_penalty=1.5, min_new_tokens=4, eos_ids=[eos])
    gen.run()
    assert gen.sequences[0].ids == out[0, pl:].tolist()


def test_seeded_sampling_repeats_exactly(tmp_path):
    _, ours = FAMILIES["llama"](tmp_path)
    kw = dict(strategy="sample", max_new_tokens=12, temperature=1.5, top_k=30, top_p=0.95, seed=7, num_return=3)
    a = generate(ours, PROMPT, **kw).run()
    b = generate(ours, PROMPT, **kw).run()
    c = generate(ours, PROMPT, **{**kw, "seed": 8}).run()
    assert [s.ids for s in a] == [s.ids for s in b]
    assert [s.score for s in a] == [s.score for s in b]
    assert [s.ids for s in a] != [s.ids for s in c]


def test_sampling_events_carry_each_stage(tmp_path):
    _, ours = FAMILIES["gpt2"](tmp_path)
    gen = generate(ours, PROMPT, strategy="sample", max_new_tokens=3, temperature=0.8, top_k=10, top_p=0.5, seed=1)
    ev = next(iter(gen))
    names = [s.name for s in ev.hypotheses[0].stages]
    assert names == ["raw", "temperature", "top_k", "top_p"]
    kept = [s.kept() for s in ev.hypotheses[0].stages]
    assert kept[0] == ours.cfg.vocab_size and kept[2] <= 10 and kept[3] <= kept[2]
    assert ev.candidates[0].token in [i for i, _ in ev.hypotheses[0].stages[-1].top(10)]


@pytest.mark.parametrize("name", ["gpt2", "llama-gqa", "marian"])
def test_cached_step_trace_matches_full_pass(name):
    """A cached step records q/k/v of the new position and its pattern row over every past one."""
    model = random_model(name)
    gen = generate(model, [3, 9, 4, 1], max_new_tokens=4, capture=Capture(names=["*hook_pattern", "*hook_q"]))
    events = list(gen)
    ctx = gen.decoder.context + [t for ev in events[:-1] for t in ev.chosen()]  # inputs of the last step
    last = events[-1].trace
    if name == "marian":
        full = run(model, [3, 9, 4, 1], target_ids=ctx, capture=Capture())
        pre = "decoder."
    else:
        full = run(model, ctx, capture=Capture())
        pre = ""
    for L in range(2):
        pat = last[f"{pre}blocks.{L}.attn.hook_pattern"]  # [1, head, 1, all positions]
        assert pat.shape[-2:] == (1, len(ctx))
        assert torch.allclose(pat[0, :, 0], full[f"{pre}blocks.{L}.attn.hook_pattern"][0, :, -1], atol=1e-5)
        q = last[f"{pre}blocks.{L}.attn.hook_q"]  # [1, 1, head, d_head]
        assert torch.allclose(q[0, 0], full[f"{pre}blocks.{L}.attn.hook_q"][0, -1], atol=1e-5)
    assert torch.allclose(events[-1].hypotheses[0].stages[0].scores, full.output[0, -1], atol=1e-4)


def test_context_window_empty_prompt_and_cancel():
    model = random_model("gpt2")  # n_ctx 64
    gen = generate(model, list(range(1, 61)), max_new_tokens=50)
    gen.run()
    assert len(gen.sequences[0].ids) == 4 and any("clamped to 4" in n for n in gen.notes)
    with pytest.raises(InputError, match="BOS"):
        generate(model, [], max_new_tokens=3)
    model.cfg.bos_token_id = 2
    gen = generate(model, [], max_new_tokens=3)
    gen.run()
    assert gen.prompt_ids == [2] and any("BOS" in n for n in gen.notes)
    calls = []
    gen = generate(model, [1, 2], max_new_tokens=30, cancel=lambda: calls.append(1) or len(calls) >= 3)
    assert len(list(gen)) == 3 and gen.stop_reason == "cancelled"


@pytest.mark.parametrize("kw,words", [
    (dict(strategy="beam", num_beams=62), "vocabulary"),
    (dict(strategy="beam", num_beams=2, num_return=3), "exceed"),
    (dict(strategy="nope"), "unknown strategy"),
    (dict(max_new_tokens=0), "max-new-tokens"),
    (dict(top_k=5), "sample"),
    (dict(strategy="sample", top_p=0), "top-p"),
])
def test_bad_options_raise_clear_errors(kw, words):
    with pytest.raises(InputError, match=words):
        Generation(random_model("gpt2"), [1, 2], GenerationOptions.make(**kw))


def test_temperature_zero_means_greedy():
    model = random_model("gpt2")
    gen = generate(model, [1, 2], strategy="sample", temperature=0, max_new_tokens=5)
    gen.run()
    greedy = generate(model, [1, 2], max_new_tokens=5).run()
    assert gen.opts.strategy == "greedy" and gen.sequences[0].ids == greedy[0].ids
    assert any("greedy" in n for n in gen.notes)


def test_fill_every_mask():
    model = random_model("bert-mlm")
    mask = 7
    ids = [2, 5, mask, 9, mask, 11, 3]
    with torch.no_grad():
        logits = model(torch.tensor([ids]))[0]  # [pos, vocab]
    events = list(fill_masks(model, ids, top_k=4, mask_id=mask))
    assert len(events) == 1 and events[0].done
    for p in (2, 4):
        assert events[0].result[p] == int(logits[p].argmax())
        assert [i for i, _ in events[0].top[p]] == torch.topk(logits[p], 4).indices.tolist()
    steps = list(fill_masks(model, ids, top_k=4, iterative=True, mask_id=mask))
    assert len(steps) == 2 and all(len(s.filled) == 1 for s in steps)
    first_pos, first_tok = next(iter(steps[0].filled.items()))
    assert steps[1].ids[first_pos] == first_tok and steps[1].positions == [p for p in (2, 4) if p != first_pos]
    with pytest.raises(InputError, match="no \\[MASK\\]"):
        list(fill_masks(model, [2, 5], mask_id=mask))
