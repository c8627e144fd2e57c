import json
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def gpt2_folder(tmp_path_factory) -> Path:
    """A tiny random GPT-2 folder with a trained byte-level BPE tokenizer."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    from tests.engine.reference import gpt2

    folder = tmp_path_factory.mktemp("gpt2")
    gpt2(folder, vocab_size=300)
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=300, initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(["the cat sat on the mat", "hello world"] * 20, trainer)
    tok.save(str(folder / "tokenizer.json"))
    cfg = json.loads((folder / "config.json").read_text())
    assert cfg["vocab_size"] >= tok.get_vocab_size()
    return folder
