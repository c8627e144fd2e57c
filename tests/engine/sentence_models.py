"""A tiny random headless BERT (BertModel) packaged like a sentence-transformers model:
modules.json, a Pooling config and optionally a Normalize module (like all-MiniLM-L6-v2)."""
from __future__ import annotations

import json
from pathlib import Path

from .reference_bert_marian import BERT_VOCAB, bert_mlm

ST = "sentence_transformers.models."


def write_vocab(folder: Path) -> list[str]:
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "a", "dog", "cat", "street", "crossed",
             "sat", "on", "mat", "tired", "was", "it", "because", "too", "."]
    vocab += [f"w{i}" for i in range(BERT_VOCAB - len(vocab))]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n")
    return vocab


def headless_bert(folder: Path, *, pooling: str | None = "mean", normalize: bool = True,
                  extra_modules: tuple[str, ...] = (), modes: dict | None = None):
    """Write the folder; return transformers' BertModel on the same weights (the reference)."""
    from transformers import BertModel

    folder.mkdir(parents=True, exist_ok=True)
    bert_mlm(folder)
    cfg_path = folder / "config.json"
    hf = json.loads(cfg_path.read_text())
    hf["architectures"] = ["BertModel"]
    cfg_path.write_text(json.dumps(hf))
    write_vocab(folder)
    if pooling is not None:
        kinds = ["Transformer", "Pooling"] + (["Normalize"] if normalize else []) + list(extra_modules)
        paths = {"Pooling": "1_Pooling", "Normalize": "2_Normalize"}
        mods = [{"idx": i, "name": str(i), "path": paths.get(k, "" if k == "Transformer" else f"{i}_{k}"),
                 "type": ST + k} for i, k in enumerate(kinds)]
        (folder / "modules.json").write_text(json.dumps(mods))
        (folder / "1_Pooling").mkdir(exist_ok=True)
        flags = {f"pooling_mode_{m}": False for m in
                 ("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens")}
        key = {"cls": "cls_token", "mean": "mean_tokens", "max": "max_tokens",
               "mean_sqrt_len": "mean_sqrt_len_tokens"}[pooling]
        flags[f"pooling_mode_{key}"] = True
        flags.update(modes or {})
        (folder / "1_Pooling" / "config.json").write_text(json.dumps({"word_embedding_dimension": 32, **flags}))
    return BertModel.from_pretrained(folder, attn_implementation="eager").eval()
