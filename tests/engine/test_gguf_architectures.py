"""Every GGUF architecture x quantisation: tiny random models written as llama.cpp writes them,
read by us and by transformers' GGUF loading of the same file, logits within 1e-4.

Two checks per file: (1) our Hugging Face view of the file (config dict + renamed, fixed tensors)
put into the transformers class equals transformers' own GGUF loading: the mapping is right;
(2) the playground model equals it too, or, while that architecture's converter is not in this
build, loading is refused naming the converter.
"""
import gguf
import pytest
import torch

from engine import load_model, run
from engine.errors import ModelLoadError, UnsupportedArchitecture
from engine.loading.build import instantiate
from engine.loading.gguf_file import hf_view, load_gguf
from engine.loading.registry import CONVERTERS, load_all

from .gguf_writers import GGUF_ARCH, QUANTS, SPECS, quantised_source, source_model, write

TOL = 1e-4


def _reference(name, quant, path):
    if SPECS[name].reference == "source":  # transformers' GGUF loader cannot read this file
        return quantised_source(name, quant), None
    return _transformers_gguf(name, path)


def _transformers_gguf(name, path):
    """transformers' GGUF loading. It drops Llama 3's rope_freqs (computes plain RoPE), so for that
    file its dequantised weights go into the class with the rope the file's rope_freqs encode."""
    import transformers

    ref = transformers.AutoModelForCausalLM.from_pretrained(
        str(path.parent), gguf_file=path.name, attn_implementation="eager", dtype=torch.float32).eval()
    if name == "llama3":
        src = source_model(name)
        fixed = type(src)(src.config).eval()
        fixed.load_state_dict(ref.state_dict())
        return fixed, ref
    return ref, None


def _from_hf_view(name, path):
    import transformers

    s = SPECS[name]
    hf, tensors = hf_view(path)
    cfg = getattr(transformers, s.config_class)(**{k: v for k, v in hf.items() if k != "architectures"},
                                               attn_implementation="eager")
    model = getattr(transformers, s.model_class)(cfg).eval()
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    assert not unexpected and set(missing) <= {"lm_head.weight"} and (not missing or cfg.tie_word_embeddings)
    return model


def _ids(vocab):
    return torch.randint(0, vocab, (1, 40), generator=torch.Generator().manual_seed(1))  # past longrope's 32


@pytest.mark.parametrize("quant", list(QUANTS))
@pytest.mark.parametrize("name", list(SPECS))
def test_gguf_matches_transformers(name, quant, tmp_path):
    s = SPECS[name]
    path = write(name, source_model(name), tmp_path / f"{name}-{quant}.gguf", quant)
    ids = _ids(s.config["vocab_size"])
    ref, plain = _reference(name, quant, path)
    with torch.no_grad():
        want = ref(ids).logits
        mapped = _from_hf_view(name, path)(ids).logits
        exact = source_model(name)(ids).logits
    assert (mapped - want).abs().max() < TOL, "our Hugging Face view of the file differs from transformers'"
    if quant == "F32":
        assert (want - exact).abs().max() < TOL  # the file holds the source model exactly
    else:
        assert (want - exact).abs().max() > 1e-6  # the weights really went through the quantisation
    if plain is not None:
        with torch.no_grad():
            assert (plain(ids).logits - want).abs().max() > 1e-3  # rope_freqs does change the numbers

    load_all()
    hf_arch = SPECS[name].model_class
    if hf_arch not in CONVERTERS:
        with pytest.raises(UnsupportedArchitecture, match=f"'{GGUF_ARCH.get(name, name)}' is read as {hf_arch}"):
            load_model(str(path))
        return
    try:
        cfg, state, _ = load_gguf(path)
    except ModelLoadError as e:  # a converter may refuse, by name, an option it does not implement yet
        if s.option and s.option in str(e):
            return
        raise
    assert cfg.architecture == hf_arch  # e.g. a `llama` file named "mistral" is read as Mistral, others as Llama
    out = run(instantiate(cfg, state), ids).output
    assert (out - want).abs().max() < TOL


@pytest.mark.parametrize("name", list(SPECS))
def test_quantisation_mix_is_what_the_file_says(name, tmp_path):
    path = write(name, source_model(name), tmp_path / "q.gguf", "Q4_K+Q6_K")
    reader = gguf.GGUFReader(str(path))
    kinds = {t.tensor_type.name for t in reader.tensors}
    assert {"Q4_K", "Q6_K", "F32"} <= kinds, kinds


def test_rope_freqs_give_back_the_llama3_parameters():
    from engine.loading.gguf.llama import llama3_divisors, llama3_from_rope_freqs

    theta, dim = 500000.0, 128
    inv = 1.0 / theta ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim)
    for factor, low, high, orig in [(8.0, 1.0, 4.0, 8192), (32.0, 1.0, 4.0, 8192), (4.0, 1.0, 3.0, 4096)]:
        got = llama3_from_rope_freqs(llama3_divisors(inv, factor, low, high, orig).float(), theta, dim)
        assert got["rope_type"] == "llama3" and got["factor"] == pytest.approx(factor)
        again = llama3_divisors(inv, got["factor"], got["low_freq_factor"], got["high_freq_factor"],
                                got["original_max_position_embeddings"])
        assert torch.allclose(again, llama3_divisors(inv, factor, low, high, orig), rtol=1e-5)
    assert llama3_from_rope_freqs(torch.ones(dim // 2), theta, dim) == {}
    odd = torch.linspace(1, 3, dim // 2).flip(0)  # no Llama 3 rule: passed on as they are
    assert llama3_from_rope_freqs(odd, theta, dim) == {"rope_type": "freq_factors",
                                                       "freq_factors": odd.double().tolist()}
    with pytest.raises(ModelLoadError, match="has 3 values, expected 64"):
        llama3_from_rope_freqs(torch.ones(3), theta, dim)


@pytest.mark.parametrize("name", list(SPECS))
def test_header_only_checks_agree_with_loading(name, tmp_path):
    """Listings check a file on its header alone (no tensor data): same verdict as loading."""
    from engine.loading.gguf_file import config_from_header
    from engine.loading.gguf_header import read_header

    path = write(name, source_model(name), tmp_path / "h.gguf", "Q4_K+Q6_K")
    h = read_header(path)
    types = {t.name: t.type_name for t in h.tensors}
    try:
        want = load_gguf(path)[0].architecture
    except ModelLoadError as e:
        with pytest.raises(ModelLoadError) as got:
            config_from_header(h.meta, types, path)
        assert type(got.value) is type(e)
        return
    try:
        assert config_from_header(h.meta, types, path).architecture == want
    except ModelLoadError as e:  # header-only placeholders (rope_freqs / longrope values) may be refused by name
        assert SPECS[name].option and ("freq_factors" in str(e) or "longrope" in str(e)), e


def test_stablelm_qk_norms_are_refused_by_name(tmp_path):
    """StableLM-2 12B's per-head q/k norms (attn_q_norm) reach the converter as qk_layernorm, refused there."""
    from engine.loading.gguf_file import config_from_header
    from engine.loading.gguf_header import read_header

    h = read_header(write("stablelm", source_model("stablelm"), tmp_path / "s.gguf", "F32"))
    types = {t.name: t.type_name for t in h.tensors}
    assert config_from_header(h.meta, types, tmp_path / "s.gguf").architecture == "StableLmForCausalLM"
    types.update({"blk.0.attn_q_norm.weight": "F32", "blk.0.attn_k_norm.weight": "F32"})
    with pytest.raises(UnsupportedArchitecture, match="qk_layernorm"):
        config_from_header(h.meta, types, tmp_path / "s.gguf")


def test_falcon_linear_biases_are_refused(tmp_path):
    """llama.cpp's Falcon has no biases on its matrices: a file with one is refused, naming the tensor."""
    from engine.loading.gguf_file import config_from_header
    from engine.loading.gguf_header import read_header

    h = read_header(write("falcon", source_model("falcon"), tmp_path / "f.gguf", "F32"))
    types = {t.name: t.type_name for t in h.tensors} | {"blk.0.attn_qkv.bias": "F32"}
    with pytest.raises(ModelLoadError, match="blk.0.attn_qkv.bias"):
        config_from_header(h.meta, types, tmp_path / "f.gguf")


def test_stablelm_output_bias_is_refused(tmp_path):
    """StableLM has biases on q/k/v only (use_qkv_bias): another matrix's bias is refused, not dropped."""
    from engine.loading.gguf_file import config_from_header
    from engine.loading.gguf_header import read_header

    h = read_header(write("stablelm", source_model("stablelm"), tmp_path / "s.gguf", "F32"))
    types = {t.name: t.type_name for t in h.tensors} | {"blk.0.attn_output.bias": "F32"}
    with pytest.raises(ModelLoadError, match="blk.0.attn_output.bias"):
        config_from_header(h.meta, types, tmp_path / "s.gguf")
