"""GUI test fixtures: the bundled tiny GPT when it exists, else a tiny random GPT-2 folder."""
from __future__ import annotations

import gc
from pathlib import Path

import pytest

BUNDLED = Path(__file__).resolve().parents[2] / "resources" / "models" / "tiny-gpt"
TEXTS = [
    "The animal didn't cross the street because it was too tired.",
    "je suis étudiant · i am a student · merci · thanks · 我是一个学生",
    "Attention is all you need: queries, keys and values, softmax over the keys.",
] * 20


def make_tiny_gpt(folder: Path) -> Path:
    """A random 2-layer GPT-2 (transformers, test-only) with a byte-level BPE tokenizer."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    from tests.engine.reference import gpt2

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=340, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(TEXTS, trainer)
    gpt2(folder, vocab_size=tok.get_vocab_size())
    tok.save(str(folder / "tokenizer.json"))
    return folder


@pytest.fixture(scope="session")
def tiny_gpt(tmp_path_factory) -> str:
    """What to pass to load_model: 'tiny-gpt' once it is bundled, else a folder path."""
    if (BUNDLED / "config.json").is_file():
        return "tiny-gpt"
    return str(make_tiny_gpt(tmp_path_factory.mktemp("tiny-gpt")))


@pytest.fixture(scope="session")
def loaded_gpt(tiny_gpt):
    from engine import load_model

    return load_model(tiny_gpt, device="cpu")


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_main_thread():
    """As the app does (pyqtgraph's GarbageCollector): no automatic collection, which could run
    in a worker thread and destroy Qt objects there (a deadlock); collect here instead."""
    gc.disable()
    yield
    gc.collect()
