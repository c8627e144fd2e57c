"""The BERT-like families beyond the parity cases: RoBERTa's padding-aware positions in a padded
batch, ALBERT's shared weights (every layer still recorded), the classifiers' labels and
refusals by name, and `tplay logits` on a classifier."""
from __future__ import annotations

import json

import pytest
import torch

from engine import Capture, run
from engine.errors import UnsupportedArchitecture
from engine.loading import load_model
from engine.loading.registry import converter_for

from .parity.case_albert import albert_groups, albert_mlm
from .parity.case_classifiers import bert_classifier
from .parity.case_roberta import roberta_mlm
from .parity.test_parity import write_word_tokenizer


def _save(ref, folder):
    ref.save_pretrained(folder, safe_serialization=True)
    write_word_tokenizer(folder)
    return load_model(str(folder)).model


def test_roberta_padded_batch_matches_reference(tmp_path):
    ref = roberta_mlm()
    model = _save(ref, tmp_path)
    ids = torch.tensor([[0, 5, 17, 33, 9, 41, 2], [0, 8, 60, 2, 1, 1, 1]])  # row 2: three pads (id 1)
    mask = (ids != 1).long()
    with torch.no_grad():
        want = ref(input_ids=ids, attention_mask=mask).logits
    trace = run(model, ids, attention_mask=mask, capture=Capture(names=["hook_pos_embed"]))
    keep = mask.bool()
    assert (trace.output[keep] - want[keep]).abs().max() < 1e-4
    rows = model.pos_embed.W_pos
    assert torch.equal(trace["hook_pos_embed"][1, 4:], rows[1].expand(3, -1))  # pads read the padding row
    assert torch.equal(trace["hook_pos_embed"][1, :4], rows[2:6])  # the others count from padding_idx + 1
    assert model.cfg.n_ctx == ref.config.max_position_embeddings - ref.config.pad_token_id - 1


@pytest.mark.parametrize("build, sources", [(albert_mlm, [0, 0, 0]), (albert_groups, [0, 0, 2, 2])])
def test_albert_layers_share_weights_and_each_records_its_steps(tmp_path, build, sources):
    ref = build()
    model = _save(ref, tmp_path)
    assert model.cfg.shared_layers == sources
    assert model.shared_weights == {f"blocks.{i}": f"blocks.{s}" for i, s in enumerate(sources) if s != i}
    for i, s in enumerate(sources):
        assert model.blocks[i].attn.W_Q.weight is model.blocks[s].attn.W_Q.weight
        assert model.blocks[i].ln2.w is model.blocks[s].ln2.w
    if len(set(sources)) > 1:  # two groups: two sets of weights
        assert model.blocks[0].mlp.W_in.weight is not model.blocks[-1].mlp.W_in.weight
    assert model.n_params() == sum(p.numel() for p in ref.parameters())
    trace = run(model, [5, 17, 33, 2, 9], capture=Capture())
    for i in range(len(sources)):
        assert f"blocks.{i}.attn.hook_pattern" in trace and f"blocks.{i}.hook_resid_post" in trace
    assert trace["hook_embed"].shape[-1] == 16 and trace["hook_project_in"].shape[-1] == 32
    assert "d_embed" in trace.step("ln_embed.hook_normalized").axes


def _hf(arch: str, **change) -> dict:
    import transformers

    return {**getattr(transformers, arch).config_class().to_dict(), **change}


@pytest.mark.parametrize("arch, change, words", [
    ("AlbertForMaskedLM", {"inner_group_num": 2}, "inner_group_num"),
    ("AlbertForMaskedLM", {"num_hidden_groups": 0}, "num_hidden_groups"),
    ("BertForSequenceClassification", {"problem_type": "regression"}, "problem_type"),
    ("RobertaForSequenceClassification", {"id2label": {0: "score"}}, "num_labels=1"),
    ("DistilBertForSequenceClassification", {"id2label": {0: "a", 2: "b"}}, "id2label"),
    ("RobertaForMaskedLM", {"pad_token_id": None}, "pad_token_id"),
])
def test_unsupported_options_are_refused_by_name(arch, change, words):
    with pytest.raises(UnsupportedArchitecture, match=words):
        converter_for(arch).make_config(_hf(arch, **change))


def test_classifier_label_names_come_from_id2label():
    cfg = converter_for("BertForSequenceClassification").make_config(
        _hf("BertForSequenceClassification", id2label={"1": "POSITIVE", "0": "NEGATIVE"}))
    assert cfg.label_names == ["NEGATIVE", "POSITIVE"] and cfg.classifier == "tanh" and cfg.lm_head == "none"
    multi = converter_for("DistilBertForSequenceClassification").make_config(
        _hf("DistilBertForSequenceClassification", problem_type="multi_label_classification"))
    assert (multi.label_prob, multi.classifier) == ("sigmoid", "relu")


def test_tplay_logits_prints_one_line_per_label(tmp_path, tplay):
    ref = bert_classifier()
    _save(ref, tmp_path)
    prompt = [5, 17, 33, 2, 9]
    with torch.no_grad():
        want = torch.softmax(ref(input_ids=torch.tensor([prompt])).logits[0], -1)
    words = " ".join(f"w{i}" for i in prompt)
    code, out, err = tplay("logits", "-m", tmp_path, "--prompt", words)
    assert code == 0, err
    lines = [ln.split() for ln in out.splitlines()[1:]]
    assert [ln[-1] for ln in lines] == ["negative", "neutral", "positive"]
    assert [float(ln[0]) for ln in lines] == pytest.approx(want.tolist(), abs=1e-4)
    code, out, err = tplay("logits", "-m", tmp_path, "--prompt", words, "--json")
    rows = json.loads(out)["labels"]
    assert [r["label"] for r in rows] == ["negative", "neutral", "positive"]
    assert sum(r["prob"] for r in rows) == pytest.approx(1.0, abs=1e-6)
