"""`tplay generate` end to end on a tiny GPT-2 folder with a word-level tokenizer."""
import json

import pytest
import torch

from engine.cli import main

from ..engine.decoding_models import VOCAB, gpt2


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    d = tmp_path_factory.mktemp("tiny-gpt2")
    ref, _ = gpt2(d)
    vocab = {f"w{i}": i for i in range(VOCAB)}
    tok = Tokenizer(WordLevel(vocab, unk_token="w2"))
    tok.pre_tokenizer = Whitespace()
    tok.save(str(d / "tokenizer.json"))
    return d, ref


def _run(capsys, *argv):
    code = main(["generate", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out.strip().splitlines(), err


def test_json_beam_matches_reference(folder, capsys):
    d, ref = folder
    code, out, err = _run(capsys, "-m", d, "--prompt", "w5 w17 w33", "--strategy", "beam", "--beams", 3,
                          "--num-return", 2, "--length-penalty", 0.5, "--max-new-tokens", 6, "--json",
                          "--device", "cpu")
    assert code == 0, err
    obj = json.loads(out[-1])
    assert obj["prompt_ids"] == [5, 17, 33]
    with torch.no_grad():
        o = ref.generate(torch.tensor([[5, 17, 33]]), num_beams=3, num_return_sequences=2, length_penalty=0.5,
                         max_new_tokens=6, output_scores=True, return_dict_in_generate=True)
    assert [s["ids"] for s in obj["sequences"]] == [r[3:].tolist() for r in o.sequences]
    for s, score in zip(obj["sequences"], o.sequences_scores.tolist()):
        assert abs(s["score"] - score) < 1e-4
        assert s["text"] == " ".join(f"w{i}" for i in s["ids"])
    assert obj["decode_tokens_per_second"] > 0


def test_events_then_summary(folder, capsys):
    d, _ = folder
    code, out, err = _run(capsys, "-m", d, "--prompt", "w5 w6", "--strategy", "sample", "--seed", 3,
                          "--top-k", 5, "--max-new-tokens", 4, "--events", "--json", "--device", "cpu")
    assert code == 0, err
    events = [json.loads(line) for line in out[:-1]]
    assert [e["step"] for e in events] == [0, 1, 2, 3]
    assert [s["name"] for s in events[0]["hypotheses"][0]["stages"]] == ["raw", "top_k"]
    assert events[0]["hypotheses"][0]["stages"][1]["kept"] <= 5
    final = json.loads(out[-1])
    assert final["sequences"][0]["ids"] == [e["candidates"][0]["id"] for e in events]
    assert final["seed"] == 3


@pytest.mark.parametrize("argv,words", [
    (["--temperature", "abc", "--strategy", "sample"], "--temperature must be a number"),
    (["--strategy", "sample", "--temperature", "-1"], "temperature must be > 0"),
    (["--strategy", "sample", "--top-p", "1.5"], "top-p must be in (0, 1]"),
    (["--strategy", "beam", "--beams", "1000"], "vocabulary"),
    (["--strategy", "zigzag"], "unknown strategy"),
    (["--max-new-tokens", "0"], "max-new-tokens"),
    (["--early-stopping", "maybe", "--strategy", "beam"], "early-stopping"),
    (["--repetition-penalty", "0"], "repetition penalty"),
    # options of another strategy are refused, as --temperature is without sample
    (["--beams", "0"], "--beams must be at least 1"),
    (["--strategy", "beam", "--beams", "0"], "--beams must be at least 1"),
    (["--beams", "3"], "--beams needs --strategy beam"),
    (["--strategy", "sample", "--beams", "3"], "--beams needs --strategy beam"),
    (["--length-penalty", "0.5"], "--length-penalty needs --strategy beam"),
    (["--early-stopping", "true"], "--early-stopping true|never needs --strategy beam"),
    (["--num-return", "5"], "--num-return above 1 needs --strategy beam or sample"),
])
def test_bad_values_one_line_exit_2(folder, capsys, argv, words):
    d, _ = folder
    code, out, err = _run(capsys, "-m", d, "--prompt", "w5 w6", "--device", "cpu", *argv)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in err


def test_adjustments_are_reported(folder, capsys):
    d, _ = folder
    code, out, err = _run(capsys, "-m", d, "--prompt", "w5 w6", "--max-new-tokens", 500, "--json", "--device", "cpu")
    assert code == 0 and "clamped to 62" in err
    assert len(json.loads(out[-1])["sequences"][0]["ids"]) == 62
    code, out, err = _run(capsys, "-m", d, "--prompt", "w5", "--strategy", "sample", "--temperature", 0,
                          "--json", "--device", "cpu")
    assert code == 0 and "greedy" in err and json.loads(out[-1])["strategy"] == "greedy"
    code, out, err = _run(capsys, "-m", d, "--prompt", "", "--max-new-tokens", 3, "--json", "--device", "cpu")
    assert code == 0 and "BOS" in err and json.loads(out[-1])["prompt_ids"] == [1]


def test_sample_may_return_several(folder, capsys):
    d, _ = folder
    code, out, err = _run(capsys, "-m", d, "--prompt", "w5 w6", "--device", "cpu", "--strategy", "sample",
                          "--num-return", 3, "--seed", 1, "--max-new-tokens", 2, "--json")
    assert code == 0, err
    assert len(json.loads(out[-1])["sequences"]) == 3
