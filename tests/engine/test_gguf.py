"""GGUF loading against transformers' own GGUF loader, on tiny files the tests write themselves."""
import gguf
import pytest
import torch

from engine import Capture, load_model, run
from engine.errors import ModelLoadError
from engine.loading.build import instantiate
from engine.loading.gguf_file import load_gguf

from .reference_llama import (
    byte_level_vocab,
    llama,
    llamacpp_smollm_pre_tokenizer,
    sentencepiece_vocab,
    varied_strings,
    write_gguf,
)

Q = gguf.GGMLQuantizationType
N_BYTE_LEVEL = len(byte_level_vocab()[0])
N_SENTENCEPIECE = len(sentencepiece_vocab()[0])


def _transformers(folder, name):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(str(folder), gguf_file=name, attn_implementation="eager")
    return model.eval(), AutoTokenizer.from_pretrained(str(folder), gguf_file=name)


@pytest.fixture(scope="module")
def f32_gguf(tmp_path_factory):
    """(source HF model, GGUF path): GQA 4/2, untied head, F32 tensors, byte-level tokenizer."""
    folder = tmp_path_factory.mktemp("f32")
    src = llama(vocab_size=N_BYTE_LEVEL, intermediate_size=64)
    return src, write_gguf(src, folder / "tiny-f32.gguf", pre="gpt2")


@pytest.fixture(scope="module")
def quant_gguf(tmp_path_factory):
    """Tied embeddings in Q8_0, attention and FFN in Q4_1 (the pack's mix), sentencepiece tokenizer."""
    folder = tmp_path_factory.mktemp("quant")
    src = llama(vocab_size=N_SENTENCEPIECE, intermediate_size=64, tie_word_embeddings=True,
                num_key_value_heads=1, seed=3)
    path = write_gguf(src, folder / "tiny-q.gguf", tokenizer="llama",
                      quant={"token_embd": Q.Q8_0, "attn_": Q.Q4_1, "ffn_": Q.Q4_1})
    return src, path


def _ids(vocab, n=24, seed=2):
    return torch.randint(0, vocab, (1, n), generator=torch.Generator().manual_seed(seed))


def test_f32_gguf_equals_its_source_and_transformers(f32_gguf):
    src, path = f32_gguf
    cfg, state, _ = load_gguf(path)
    ours = instantiate(cfg, state)
    ref, _ = _transformers(path.parent, path.name)
    ids = _ids(N_BYTE_LEVEL)
    with torch.no_grad():
        want = src(ids).logits
        out = ref(ids, output_attentions=True)
    trace = run(ours, ids, capture=Capture())
    assert cfg.n_kv_heads == 2 and not cfg.tie_embeddings
    assert (trace.output - want).abs().max() < 1e-4  # the Q/K permutation was undone exactly
    assert (trace.output - out.logits).abs().max() < 1e-4
    for L in range(cfg.n_layers):
        assert (trace[f"blocks.{L}.attn.hook_pattern"] - out.attentions[L]).abs().max() < 1e-5


def test_quantized_gguf_matches_transformers(quant_gguf):
    src, path = quant_gguf
    cfg, state, _ = load_gguf(path)
    assert cfg.extra["quantization"] == {"Q8_0": 1, "Q4_1": 14, "F32": 5}
    assert cfg.tie_embeddings and cfg.n_kv_heads == 1
    ours = instantiate(cfg, state)
    ref, _ = _transformers(path.parent, path.name)
    ids = _ids(N_SENTENCEPIECE)
    with torch.no_grad():
        out = ref(ids, output_attentions=True)
        exact = src(ids).logits
    trace = run(ours, ids, capture=Capture())
    assert (trace.output - out.logits).abs().max() < 1e-4
    for L in range(cfg.n_layers):
        assert (trace[f"blocks.{L}.attn.hook_pattern"] - out.attentions[L]).abs().max() < 1e-5
    assert (trace.output - exact).abs().max() > 1e-3  # the weights really went through Q4_1


def test_gguf_tensors_stay_deferred_until_each_fills_its_parameter(quant_gguf):
    """load_gguf reads no tensor: each is dequantised when the model is filled, straight into its
    parameter; the model is bit for bit the one built from tensors read first (hf_view)."""
    from engine.loading.deferred import reader_of
    from engine.loading.gguf import hf_view
    from engine.loading.registry import converter_for

    _, path = quant_gguf
    cfg, state, _ = load_gguf(path)
    assert state and all(reader_of(v) is not None for v in state.values())
    deferred = instantiate(cfg, state, consume=True)
    _, tensors = hf_view(path)
    eager = instantiate(cfg, converter_for(cfg.architecture).convert(tensors, cfg))
    ids = _ids(N_SENTENCEPIECE)
    assert torch.equal(deferred(ids), eager(ids))
    assert all(torch.equal(a, b) for a, b in zip(deferred.state_dict().values(), eager.state_dict().values()))


def test_byte_level_tokenizer_matches_transformers(f32_gguf):
    _, path = f32_gguf
    _, _, ours = load_gguf(path)
    _, ref = _transformers(path.parent, path.name)
    for s in varied_strings(300, seed=1):
        assert ours.encode(s).ids == ref(s)["input_ids"], repr(s)
    assert ours.encode("<think><|im_start|>").tokens == ["<think>", "<|im_start|>"]


def test_sentencepiece_tokenizer_matches_transformers(quant_gguf):
    _, path = quant_gguf
    _, _, ours = load_gguf(path)
    _, ref = _transformers(path.parent, path.name)
    assert ours.encode("Hello").ids[0] == 1  # llama.cpp's default for sentencepiece: BOS added
    for s in varied_strings(300, seed=2):
        assert ours.encode(s).ids == ref(s)["input_ids"], repr(s)
    assert ours.decode(ours.encode("Hello world 中文").ids) == "Hello world 中文"


def test_smollm_pre_tokenizer_isolates_every_number(tmp_path):
    """`pre = smollm`: llama.cpp splits out each \\p{N} before GPT-2's regex (transformers' GGUF
    loader does not know this value and falls back to GPT-2's split, so it is not the reference here)."""
    from transformers import AutoTokenizer

    path = write_gguf(llama(vocab_size=N_BYTE_LEVEL, intermediate_size=64), tmp_path / "s.gguf", pre="smollm")
    _, _, ours = load_gguf(path)
    ref = AutoTokenizer.from_pretrained(str(tmp_path), gguf_file=path.name)
    gpt2_split = [ref(s)["input_ids"] for s in varied_strings(300, seed=3)]
    ref.backend_tokenizer.pre_tokenizer = llamacpp_smollm_pre_tokenizer()
    differ = 0
    for s, plain in zip(varied_strings(300, seed=3), gpt2_split):
        assert ours.encode(s).ids == ref(s)["input_ids"], repr(s)
        differ += ours.encode(s).ids != plain
    assert differ > 10  # the strings do exercise the rule
    assert ours.encode("  ½").tokens == ["ĠĠ", "Â", "½"]  # GPT-2's split alone: Ġ, ĠÂ, ½


# ---- bad files ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def good_bytes(f32_gguf):
    return f32_gguf[1].read_bytes()


@pytest.mark.parametrize("cut", [0, 3, 10, 200, 3000, 0.6, 0.999])
def test_truncated_gguf_is_one_clear_error(tmp_path, good_bytes, cut):
    n = int(len(good_bytes) * cut) if isinstance(cut, float) else cut
    path = tmp_path / "cut.gguf"
    path.write_bytes(good_bytes[:n])
    with pytest.raises(ModelLoadError, match="not a GGUF file|truncated or corrupt"):
        load_gguf(path)


def test_garbage_and_corrupt_header_are_clear_errors(tmp_path, good_bytes):
    import random

    rng = random.Random(0)
    garbage = tmp_path / "garbage.gguf"
    garbage.write_bytes(bytes(rng.randrange(256) for _ in range(5000)))
    with pytest.raises(ModelLoadError, match="not a GGUF file"):
        load_model(str(garbage))
    bad = bytearray(good_bytes)
    bad[8:24] = b"\xff" * 16  # absurd tensor and key counts
    corrupt = tmp_path / "corrupt.gguf"
    corrupt.write_bytes(bytes(bad))
    with pytest.raises(ModelLoadError, match="truncated or corrupt"):
        load_model(str(corrupt))


def test_other_architecture_names_the_supported_one(tmp_path):
    path = write_gguf(llama(vocab_size=N_BYTE_LEVEL, intermediate_size=64), tmp_path / "g.gguf", arch="bloom")
    with pytest.raises(ModelLoadError, match=r"'bloom' is not supported; supported: falcon, gemma, gemma2, gemma3, gpt2, llama, phi3, qwen2, qwen3, stablelm"):
        load_model(str(path))


def test_rope_scaling_in_gguf_is_read_or_refused_by_name(tmp_path):
    """Linear scaling becomes transformers' linear rope parameters (the converter runs or refuses
    them by name); a type llama.cpp's metadata does not map one to one (yarn) is refused by name."""
    from engine.loading.gguf_file import hf_view

    def scaling(kind):
        def extra(w):
            w.add_rope_scaling_type(kind)
            w.add_rope_scaling_factor(2.0)
        return extra

    src = llama(vocab_size=N_BYTE_LEVEL, intermediate_size=64)
    linear = write_gguf(src, tmp_path / "l.gguf", extra=scaling(gguf.RopeScalingType.LINEAR))
    assert hf_view(linear)[0]["rope_parameters"] == {"rope_type": "linear", "rope_theta": 5000.0, "factor": 2.0}
    yarn = write_gguf(src, tmp_path / "y.gguf", extra=scaling(gguf.RopeScalingType.YARN))
    with pytest.raises(ModelLoadError, match="'yarn'"):
        load_gguf(yarn)


@pytest.mark.parametrize("drop", [1, 17, 500])
def test_truncated_quantized_gguf_is_one_clear_error(tmp_path, quant_gguf, drop):
    path = tmp_path / "cut-q.gguf"
    path.write_bytes(quant_gguf[1].read_bytes()[:-drop])
    with pytest.raises(ModelLoadError, match="truncated or corrupt"):
        load_gguf(path)


def test_metadata_that_does_not_fit_the_tensors_is_one_clear_error(tmp_path):
    src = llama(vocab_size=N_BYTE_LEVEL, intermediate_size=64)
    wrong_heads = write_gguf(src, tmp_path / "h.gguf", override={"add_head_count": 6})
    with pytest.raises(ModelLoadError, match="does not fit the head counts"):
        load_model(str(wrong_heads))
    wrong_width = write_gguf(src, tmp_path / "w.gguf", override={"add_feed_forward_length": 48})
    with pytest.raises(ModelLoadError, match="shape"):
        load_model(str(wrong_width))


def _byte_level_meta(**changes):
    tokens, types, merges = byte_level_vocab()
    meta = {"tokenizer.ggml.model": "gpt2", "tokenizer.ggml.pre": "gpt2", "tokenizer.ggml.tokens": tokens,
            "tokenizer.ggml.token_type": types, "tokenizer.ggml.merges": merges,
            "tokenizer.ggml.bos_token_id": 1, "tokenizer.ggml.eos_token_id": 2}
    meta.update(changes)
    return meta


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"tokenizer.ggml.model": "bert"}, "tokenizer kind 'bert' is not supported; supported: gpt2, llama"),
        ({"tokenizer.ggml.pre": "made-up"}, "pre-tokenizer 'made-up'"),
        ({"tokenizer.ggml.tokens": []}, "no tokenizer vocabulary"),
        ({"tokenizer.ggml.merges": ["Ġ zzz"]}, "could not be built"),
    ],
)
def test_tokenizer_metadata_problems_are_clear_errors(changes, message):
    from engine.tokenizers.gguf_tokenizer import tokenizer_from_gguf

    with pytest.raises(ModelLoadError, match=message):
        tokenizer_from_gguf(_byte_level_meta(**changes))


def test_bos_and_eos_follow_the_metadata():
    from engine.tokenizers.gguf_tokenizer import tokenizer_from_gguf

    plain = tokenizer_from_gguf(_byte_level_meta()).encode("Hello").ids
    both = tokenizer_from_gguf(
        _byte_level_meta(**{"tokenizer.ggml.add_bos_token": True, "tokenizer.ggml.add_eos_token": True})
    ).encode("Hello").ids
    assert both == [1] + plain + [2]
