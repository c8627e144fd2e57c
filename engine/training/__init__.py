"""Training the bundled models with our own classes: data, tokenizers, loop, evaluation, export.

The loop (`Trainer`) reports every N steps through callbacks (loss, accuracy, learning rate, the
probe's per-position distribution next to its one-hot target, attention patterns) and can be
paused or stopped between steps through a `Control`: the engine of the GUI's training view.
"""
from .loop import Control, Snapshot, StepReport, TrainConfig, Trainer, TrainResult, lr_at
from .tasks import Batch, LanguageModelTask, MaskedLMTask, Probe, Seq2SeqTask

__all__ = [
    "Batch", "Control", "LanguageModelTask", "MaskedLMTask", "Probe", "Seq2SeqTask", "Snapshot", "StepReport",
    "TrainConfig", "TrainResult", "Trainer", "lr_at",
]
