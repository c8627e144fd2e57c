"""End to end: a tiny random LlamaForCausalLM folder whose only tokenizer file is tokenizer.model,
and a tiny Marian folder with source.spm + target.spm + vocab.json, opened by the normal load path;
`tplay tokenize` / `tplay generate` give transformers' ids and tokens."""
from __future__ import annotations

import json

import pytest
import torch

from engine.loading import load_model

from .reference_bert_marian import marian
from .reference_llama import llama
from .spm_models import LLAMA_SPEC, marian_vocab, pieces, train, write

PROMPTS = ["the animal did not cross", "je suis étudiant 中文 😀", "  Zebra  42 "]


@pytest.fixture(scope="module")
def llama_folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("llama-spm")
    model = train("bpe", True, **LLAMA_SPEC)
    ref = llama(d, vocab_size=len(pieces(model)), bos_token_id=1, eos_token_id=2)
    write(d, {"tokenizer.model": model})
    assert sorted(p.name for p in d.iterdir() if "token" in p.name) == ["tokenizer.model"]
    return d, ref


@pytest.fixture(scope="module")
def marian_folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("marian-spm")
    src, tgt = train("unigram", False, seed=0), train("unigram", False, seed=1)
    vocab = marian_vocab(src, tgt)
    pad = vocab["<pad>"]
    ref = marian(d, vocab_size=len(vocab), pad_token_id=pad, decoder_start_token_id=pad, eos_token_id=0,
                 forced_eos_token_id=None)
    write(d, {"source.spm": src, "target.spm": tgt, "vocab.json": vocab})
    return d, ref


def _cli(capsys, *argv):
    from gui.cli import main

    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out.strip().splitlines()[-1])


def _llama_ref_tokenizer(d):
    from transformers import LlamaTokenizer

    return LlamaTokenizer.from_pretrained(str(d), add_bos_token=True)


def test_llama_opens_and_tokenizes_like_transformers(llama_folder, capsys):
    d, _ = llama_folder
    lm = load_model(str(d), device="cpu")
    assert lm.tokenizer.kind == "BPE" and lm.tokenizer.source.endswith("tokenizer.model")
    ref = _llama_ref_tokenizer(d)
    for text in PROMPTS:
        obj = _cli(capsys, "tokenize", "-m", d, text, "--json")
        assert obj["ids"] == ref(text)["input_ids"], text
        assert obj["ids"][0] == 1  # BOS


def test_llama_generates_like_transformers(llama_folder, capsys):
    d, ref_model = llama_folder
    ref = _llama_ref_tokenizer(d)
    text = PROMPTS[0]
    obj = _cli(capsys, "generate", "-m", d, "--prompt", text, "--max-new-tokens", 6, "--json", "--device", "cpu")
    ids = ref(text, return_tensors="pt")["input_ids"]
    assert obj["prompt_ids"] == ids[0].tolist()
    with torch.no_grad():
        out = ref_model.generate(ids, max_new_tokens=6, do_sample=False, attention_mask=torch.ones_like(ids))
    want = out[0, ids.shape[1]:].tolist()
    assert obj["sequences"][0]["ids"] == want
    assert obj["sequences"][0]["text"] == ref.decode(want, skip_special_tokens=True)


def test_marian_opens_and_translates_like_transformers(marian_folder, capsys):
    from transformers import MarianTokenizer

    d, ref_model = marian_folder
    ref = MarianTokenizer.from_pretrained(str(d))
    lm = load_model(str(d), device="cpu")
    assert lm.model.has_encoder and lm.tokenizer.vocab_size == len(json.loads((d / "vocab.json").read_text()))
    for text in PROMPTS:
        assert _cli(capsys, "tokenize", "-m", d, text, "--json")["ids"] == ref(text)["input_ids"], text
    text = PROMPTS[1]
    obj = _cli(capsys, "generate", "-m", d, "--prompt", text, "--max-new-tokens", 6, "--json", "--device", "cpu")
    enc = ref(text, return_tensors="pt")
    with torch.no_grad():
        out = ref_model.generate(**enc, max_new_tokens=6, do_sample=False, num_beams=1)
    want = [i for i in out[0].tolist()[1:]]  # after decoder_start_token_id
    assert obj["sequences"][0]["ids"] == want
    assert obj["sequences"][0]["text"] == ref.decode(want, skip_special_tokens=True)


@pytest.mark.parametrize("which", ["llama", "marian"])
def test_tokenize_explain_ends_on_the_real_ids(which, llama_folder, marian_folder, capsys):
    d = (llama_folder if which == "llama" else marian_folder)[0]
    text = PROMPTS[1]
    plain = _cli(capsys, "tokenize", "-m", d, text, "--json")
    explained = _cli(capsys, "tokenize", "-m", d, text, "--json", "--explain")
    assert explained["ids"] == plain["ids"]
    kinds = [s["kind"] for s in explained["steps"]]
    assert ("bpe_merge" if which == "llama" else "unigram_viterbi") in kinds
    assert which == "llama" or "vocab_lookup" in kinds


def test_m2m100_folder_translates_like_transformers(tmp_path, capsys):
    """A tiny M2M100 folder with sentencepiece.bpe.model + vocab.json (src_lang fr, tgt_lang de):
    the source framed as __fr__ … </s>, the target language forced first, as transformers does."""
    from transformers import M2M100Tokenizer

    from .parity.case_bart import seq2seq
    from .spm_models import fairseq_vocab

    model = train("bpe", True)
    write(tmp_path, {"sentencepiece.bpe.model": model, "vocab.json": fairseq_vocab(model),
                     "tokenizer_config.json": {"tokenizer_class": "M2M100Tokenizer", "src_lang": "fr", "tgt_lang": "de"}})
    ref = M2M100Tokenizer.from_pretrained(str(tmp_path))
    de = ref.get_lang_id("de")
    m = seq2seq("M2M100ForConditionalGeneration", "M2M100Config", scale_embedding=True, forced_bos=de,
                vocab_size=max(ref.lang_token_to_id.values()) + 1, pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
                activation_function="relu")
    m.save_pretrained(tmp_path)
    text = PROMPTS[1]
    enc = ref(text, return_tensors="pt")
    obj = _cli(capsys, "generate", "-m", tmp_path, "--prompt", text, "--max-new-tokens", 6, "--json", "--device", "cpu")
    assert obj["prompt_ids"] == enc["input_ids"][0].tolist() and obj["prompt_ids"][0] == ref.get_lang_id("fr")
    with torch.no_grad():
        out = m.generate(**enc, max_new_tokens=6, do_sample=False, num_beams=1)
    want = out[0].tolist()[1:]  # after decoder_start_token_id
    assert want[0] == de and obj["sequences"][0]["ids"] == want
    assert obj["sequences"][0]["text"] == ref.decode(want, skip_special_tokens=True)
