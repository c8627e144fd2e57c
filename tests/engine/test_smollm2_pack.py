"""The real `smollm2-135m` pack (SmolLM2-135M-Instruct, Q4_1 GGUF) against transformers loading the same file."""
import copy
import unicodedata

import pytest
import torch

from engine import Capture, load_model, run
from engine.loading.packs import pack_path

from .reference_llama import llamacpp_smollm_pre_tokenizer, varied_strings

PROMPT = "The capital of France is"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """One forward pass of a 135M model is small; on 2 shared cores, torch's second thread only
    spins against the other processes (measured 0.15 s with one thread, 0.5-3 s with two)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def ours():
    return load_model("smollm2-135m", device="cpu", dtype="float32")


@pytest.fixture(scope="module")
def ref_tokenizer():
    from transformers import AutoTokenizer

    path = pack_path("smollm2-135m")
    return AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)


@pytest.fixture(scope="module")
def ref_model():
    from transformers import AutoModelForCausalLM

    path = pack_path("smollm2-135m")
    model = AutoModelForCausalLM.from_pretrained(
        str(path.parent), gguf_file=path.name, attn_implementation="eager", dtype=torch.float32
    )
    return model.eval()


def test_pack_logits_and_patterns_match_transformers(ours, ref_model, ref_tokenizer):
    ids = ours.tokenizer.encode(PROMPT).ids
    assert ids == ref_tokenizer(PROMPT)["input_ids"]
    with torch.no_grad():
        out = ref_model(torch.tensor([ids]), output_attentions=True)
    trace = run(ours.model, ids, capture=Capture(names=["*hook_pattern"]))
    assert (trace.output - out.logits).abs().max() < 1e-4
    for L in range(ours.cfg.n_layers):
        assert (trace[f"blocks.{L}.attn.hook_pattern"] - out.attentions[L]).abs().max() < 1e-5
    top = int(trace.output[0, -1].argmax())
    assert ours.tokenizer.decode([top]) == " Paris"
    assert ours.cfg.n_heads == 9 and ours.cfg.n_kv_heads == 3 and ours.cfg.rope_theta == 100000.0


def _has_number(s: str) -> bool:
    return any(unicodedata.category(c).startswith("N") for c in s)


def test_pack_tokenizer_matches_transformers(ours, ref_tokenizer):
    """Same ids as transformers' GGUF tokenizer on every string without a number; with numbers,
    the same ids once its pre-tokenizer follows llama.cpp's `smollm` rule, which the file names
    (transformers falls back to GPT-2's split for this value)."""
    strings = varied_strings(400, seed=7)
    fixed = copy.deepcopy(ref_tokenizer.backend_tokenizer)
    fixed.pre_tokenizer = llamacpp_smollm_pre_tokenizer()
    no_number = 0
    for s in strings:
        got = ours.tokenizer.encode(s).ids
        want_plain = ref_tokenizer(s)["input_ids"]
        assert got == fixed.encode(s).ids, repr(s)
        if not _has_number(s):
            no_number += 1
            assert got == want_plain, repr(s)
    assert no_number >= 100
