"""The BART family (BART, mBART, Pegasus, M2M100) beyond the parity cases: the forced first / last
tokens in greedy and beam search against transformers' generate, the cached decode step against
transformers' cache (pad tokens in the decoder included), generation_config.json precedence and
the refusals by name."""
from __future__ import annotations

import itertools
import json

import pytest
import torch

from engine.decoding import Generation, GenerationOptions
from engine.errors import UnsupportedArchitecture
from engine.loading import load_model
from engine.loading.registry import converter_for

from .parity import case_bart
from .parity.test_parity import write_word_tokenizer

PROMPT = [5, 17, 33, 2, 9, 41]
MAX_NEW = 7
BUILDERS = {"bart": case_bart.bart, "mbart": case_bart.mbart, "pegasus": case_bart.pegasus,
            "m2m100": case_bart.m2m100}


def _widen(model, seed: int = 0, std: float = 0.15) -> None:
    """Wide random weights, so next-token distributions spread and beams compete (sinusoidal tables kept)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "embed_positions" in name and "Pegasus" in type(model).__name__:
                continue
            if "norm" in name and name.endswith("weight"):
                p.copy_(1 + torch.randn(p.shape, generator=g) * 0.1)
            else:
                p.copy_(torch.randn(p.shape, generator=g) * std)


@pytest.fixture(scope="module", params=list(BUILDERS))
def pair(request, tmp_path_factory):
    """(name, transformers model with its forced tokens on, our copy loaded from its saved folder)."""
    ref = BUILDERS[request.param]()
    _widen(ref)
    gc = ref.generation_config
    gc.forced_eos_token_id = ref.config.eos_token_id  # on here (the parity cases leave it off)
    folder = tmp_path_factory.mktemp(request.param)
    ref.save_pretrained(folder, safe_serialization=True)
    write_word_tokenizer(folder)
    return request.param, ref, load_model(str(folder)).model


def _reference(ref, **kw):
    with torch.no_grad():
        return ref.generate(torch.tensor([PROMPT]), max_new_tokens=MAX_NEW, output_scores=True,
                            return_dict_in_generate=True, **kw)


def test_model_reports_its_forced_tokens(pair):
    name, ref, ours = pair
    gc = ref.generation_config
    assert ours.forced_bos_id() == gc.forced_bos_token_id
    assert ours.forced_eos_ids() == [gc.forced_eos_token_id]
    assert ours.decoder_start_ids() == [gc.decoder_start_token_id]


def test_greedy_with_forced_tokens_matches_generate(pair):
    name, ref, ours = pair
    eos = ref.config.eos_token_id
    o = _reference(ref, do_sample=False, eos_token_id=eos)
    gen = Generation(ours, PROMPT, GenerationOptions(max_new_tokens=MAX_NEW, eos_ids=[eos]))
    gen.run()
    want = o.sequences[0, 1:].tolist()
    got = gen.sequences[0].ids
    assert want[: len(got)] == got
    if ref.generation_config.forced_bos_token_id is not None:
        assert got[0] == ref.generation_config.forced_bos_token_id
    if len(got) == MAX_NEW:  # ran to the length limit: the last token was forced
        assert got[-1] == eos


def test_beam_with_forced_tokens_matches_generate(pair):
    name, ref, ours = pair
    with torch.no_grad():
        greedy = ref.generate(torch.tensor([PROMPT]), max_new_tokens=4, do_sample=False)
    pad = ref.generation_config.pad_token_id
    for eos in (ref.config.eos_token_id, int(greedy[0, -2])):  # a token the model likes: beams end early
        for beams, lp in itertools.product((2, 4), (0.5, 2.0)):
            o = _reference(ref, num_beams=beams, length_penalty=lp, num_return_sequences=beams, eos_token_id=eos)
            opts = GenerationOptions(strategy="beam", num_beams=beams, length_penalty=lp, num_return=beams,
                                     max_new_tokens=MAX_NEW, eos_ids=[eos])
            gen = Generation(ours, PROMPT, opts)
            gen.run()
            assert len(gen.sequences) == o.sequences.shape[0]
            for row, seq, score in zip(o.sequences, gen.sequences, o.sequences_scores.tolist()):
                ref_ids = row[1:].tolist()
                assert ref_ids[: len(seq.ids)] == seq.ids, (eos, beams, lp)
                assert all(t == (pad or eos) for t in ref_ids[len(seq.ids):])  # transformers pads with `pad or eos`
                assert abs(seq.score - score) < 1e-4, (eos, beams, lp)


@pytest.mark.parametrize("name", ["bart", "m2m100"])
def test_cached_decode_steps_match_reference_cache(name, tmp_path):
    """One decoder token at a time through both caches, pad tokens among them (M2M100's positions
    skip them in a full run but not in a cached step: both as transformers)."""
    ref = BUILDERS[name]()
    _widen(ref)
    ref.save_pretrained(tmp_path, safe_serialization=True)
    write_word_tokenizer(tmp_path)
    ours = load_model(str(tmp_path)).model
    pad = ref.config.pad_token_id
    target = [ref.config.decoder_start_token_id, 7, pad, 30, pad, 11]
    src = torch.tensor([PROMPT])
    cache = ours.new_cache()
    with torch.no_grad():
        enc_ref = ref.get_encoder()(input_ids=src)
        past = None
        enc = ours.encode(src)
        for tok in target:
            out = ref(encoder_outputs=enc_ref, decoder_input_ids=torch.tensor([[tok]]), past_key_values=past,
                      use_cache=True)
            past = out.past_key_values
            got = ours.decode(torch.tensor([[tok]]), enc, cache=cache)
            assert (got[0, -1] - out.logits[0, -1]).abs().max() < 1e-4, tok
        full_ref = ref(input_ids=src, decoder_input_ids=torch.tensor([target])).logits
        full = ours(src, torch.tensor([target]))
    assert (full - full_ref).abs().max() < 1e-4


def _save_bart(folder, **generation):
    ref = case_bart.bart()
    for k, v in generation.items():
        setattr(ref.generation_config, k, v)
    ref.save_pretrained(folder, safe_serialization=True)
    write_word_tokenizer(folder)
    return ref


def test_generation_config_file_is_where_forced_tokens_come_from(tmp_path):
    _save_bart(tmp_path, forced_bos_token_id=5, forced_eos_token_id=None, decoder_start_token_id=3)
    hf = json.loads((tmp_path / "config.json").read_text())
    assert hf["forced_eos_token_id"] == 2 and hf["decoder_start_token_id"] == 2  # config.json says otherwise
    m = load_model(str(tmp_path)).model
    assert (m.forced_bos_id(), m.forced_eos_ids(), m.decoder_start_ids()) == (5, [], [3])
    (tmp_path / "generation_config.json").unlink()  # without the file: config.json's settings
    m = load_model(str(tmp_path)).model
    assert (m.forced_bos_id(), m.forced_eos_ids(), m.decoder_start_ids()) == (None, [2], [2])


def test_forced_token_outside_the_vocabulary_is_a_note(tmp_path):
    _save_bart(tmp_path, forced_bos_token_id=500)
    m = load_model(str(tmp_path)).model
    gen = Generation(m, PROMPT, GenerationOptions(max_new_tokens=3))
    assert any("forced token 500" in n for n in gen.notes)
    gen.run()


BASE = dict(vocab_size=50, d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
            decoder_attention_heads=2, encoder_ffn_dim=8, decoder_ffn_dim=8, max_position_embeddings=32,
            pad_token_id=1)


@pytest.mark.parametrize("arch,change,named", [
    ("BartForConditionalGeneration", {"normalize_before": True}, "normalize_before"),
    ("MBartForConditionalGeneration", {"add_final_layer_norm": False}, "add_final_layer_norm"),
    ("PegasusForConditionalGeneration", {"static_position_embeddings": False}, "static_position_embeddings"),
    ("BartForConditionalGeneration", {"decoder_ffn_dim": 12}, "decoder_ffn_dim"),
    ("M2M100ForConditionalGeneration", {"decoder_attention_heads": 4}, "decoder_attention_heads"),
    ("M2M100ForConditionalGeneration", {"pad_token_id": None}, "pad_token_id"),
    ("BartForConditionalGeneration", {"is_decoder": True}, "is_decoder"),
])
def test_options_we_do_not_run_are_refused_by_name(arch, change, named):
    with pytest.raises(UnsupportedArchitecture, match=named):
        converter_for(arch).make_config({**BASE, "architectures": [arch], **change})


def test_nllb_moe_is_refused_by_name():
    with pytest.raises(UnsupportedArchitecture, match="NllbMoeForConditionalGeneration: mixture-of-experts"):
        converter_for("NllbMoeForConditionalGeneration")


def test_uneven_stacks_open():
    cfg = converter_for("BartForConditionalGeneration").make_config({**BASE, "encoder_layers": 3})
    assert (cfg.n_layers, cfg.n_decoder_layers) == (3, 1)


@pytest.mark.parametrize("name", list(BUILDERS))
def test_fast_decode_step_is_bitwise_equal_to_the_modules(name, tmp_path):
    """Pre-norm layers with cross-attention and final norms (mBART, Pegasus, M2M100) and BART's
    post-norm ones, on the cached step without modules; the steps feed pad tokens too."""
    from .test_fast_step import _check_fast_equals_modules, _from_parity_case

    _check_fast_equals_modules(_from_parity_case(BUILDERS[name], tmp_path), fused=True)


def test_target_language_flag_forces_that_token_first_as_generate_does(tplay, tmp_path):
    """`tplay generate --target-lang TOKEN`: transformers' generate(forced_bos_token_id=id)."""
    ref = case_bart.m2m100()
    _widen(ref)
    ref.save_pretrained(tmp_path, safe_serialization=True)
    write_word_tokenizer(tmp_path)
    with torch.no_grad():
        want = ref.generate(torch.tensor([PROMPT]), max_new_tokens=5, do_sample=False, forced_bos_token_id=33)
    words = " ".join(f"w{i}" for i in PROMPT)
    code, out, err = tplay("generate", "-m", tmp_path, "--prompt", words, "--max-new-tokens", 5,
                           "--target-lang", "w33", "--json")
    assert code == 0, err
    got = json.loads(out.strip().splitlines()[-1])["sequences"][0]["ids"]
    assert got == want[0, 1:].tolist()[: len(got)] and got[0] == 33
    code, out, err = tplay("generate", "-m", tmp_path, "--prompt", words, "--target-lang", "fra_Latn")
    assert code != 0 and "'fra_Latn' is not a token" in err
