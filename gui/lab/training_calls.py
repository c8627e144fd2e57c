"""Training for the lab's training view (no Qt): a micro translator on the example sentences
(engine/training/data_translation.py SEED_PAIRS).

The micro task is those examples at a size that learns in seconds: "je suis étudiant /
我是一个学生 → i am a student", "merci → thanks" and a few fixed phrases, a shared WordPiece
vocabulary, a 1-layer post-norm encoder-decoder. It uses the engine's Trainer (AdamW, warm-up,
snapshots of the probe's distributions and attention), so pause / resume / stop are its Control.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from engine.hook_names import CROSS_MODULE


@dataclass
class MicroRun:
    model: object
    tokenizer: object  # tokenizers.Tokenizer
    trainer: object
    labels: list[str]  # the probe's target tokens
    vocab: list[str]  # id -> token


def micro_pairs() -> list[tuple[str, str]]:
    from engine.training.data_translation import FIXED, SEED_PAIRS

    pairs = list(SEED_PAIRS)
    for fr, zh, en in FIXED[:3]:
        pairs += [(fr, en), (zh, en)]
    return pairs


def build_micro(steps: int = 150, seed: int = 0, callbacks: list[Callable] = (), control=None) -> MicroRun:
    from engine.training import Seq2SeqTask, TrainConfig, Trainer
    from engine.training.setup import new_model, translator_config
    from engine.training.tokenizer_train import EOS, PAD, train_translator_tokenizer

    pairs = micro_pairs()
    tok = train_translator_tokenizer([t for p in pairs for t in p])
    pad, eos = tok.token_to_id(PAD), tok.token_to_id(EOS)
    enc = lambda s: tok.encode(s).ids  # noqa: E731
    cfg = translator_config(tok.get_vocab_size(), pad, eos, d_model=32, n_layers=1, n_heads=2, d_mlp=64, n_ctx=24)
    model = new_model(cfg, seed, std=0.02, embed_std=cfg.d_model ** -0.5)
    src, tgt = pairs[0]
    task = Seq2SeqTask([(enc(s), enc(t)) for s, t in pairs], pad, pad, probe_pair=(enc(src), enc(tgt)))
    tcfg = TrainConfig(steps=steps, batch_size=8, lr=3e-3, warmup=10, seed=seed, every=5, label_smoothing=0.0)
    trainer = Trainer(model, task, tcfg, list(callbacks), control,
                      attention_names=(f"{model.output_stack}blocks.0.{CROSS_MODULE}.hook_pattern",))
    vocab = [tok.id_to_token(i) for i in range(tok.get_vocab_size())]
    return MicroRun(model, tok, trainer, [vocab[i] for i in task.probe.labels], vocab)


def train_micro(steps: int, emit: Callable[[object], None], control, cancel: Callable[[], bool] | None = None):
    """Worker thread: build (tokenizer training included), emit the MicroRun, then each StepReport.

    Returns (MicroRun, the engine's TrainResult).
    """
    run = build_micro(steps, callbacks=[emit], control=control)
    emit(run)
    return run, run.trainer.run()


def save_micro(run: MicroRun, folder: str | Path) -> Path:
    """Write a loadable model folder (config.json, model.safetensors, tokenizer.json)."""
    from engine.training.export import export

    card = "# micro translator\n\nTrained live in the Transformer Playground lab on the example sentences.\n"
    return export(run.model, Path(folder), run.tokenizer, card)
