"""The training loop: AdamW, linear warm-up then cosine decay, gradient clipping, optional label
smoothing, callbacks every N steps, pausable and stoppable between steps.

It knows nothing of Qt: a GUI worker calls `Trainer.run()` on its own thread, forwards each
`StepReport` as a signal, and calls `control.pause() / resume() / stop()` from the UI thread.
"""
from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import torch

from ..runner import run as engine_run
from ..trace import Capture
from .tasks import Task, loss_and_accuracy


@dataclass
class TrainConfig:
    steps: int = 1000
    batch_size: int = 64
    lr: float = 1e-3
    warmup: int = 100
    min_lr_ratio: float = 0.05  # cosine decays to lr × this
    weight_decay: float = 0.01
    betas: tuple[float, float] = (0.9, 0.98)
    clip: float = 1.0
    label_smoothing: float = 0.0
    seed: int = 0
    every: int = 50  # report (and snapshot) every N steps
    snapshot: bool = True
    threads: int | None = None  # torch.set_num_threads; None leaves it as it is


def lr_at(step: int, cfg: TrainConfig) -> float:
    """Learning rate used for `step` (0-based): linear warm-up, then cosine to min_lr_ratio."""
    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    span = max(1, cfg.steps - cfg.warmup)
    t = min(1.0, (step - cfg.warmup) / span)
    return cfg.lr * (cfg.min_lr_ratio + (1 - cfg.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * t)))


@dataclass
class Snapshot:
    """The probe example seen by the model at this step (drawn as one-hot targets beside the predictions)."""

    input_ids: list[int]
    target_ids: list[int] | None  # decoder input ids, encoder-decoder only
    labels: list[int]  # one-hot target per output position
    probs: torch.Tensor  # [pos, vocab] the model's distribution at each output position
    attention: dict[str, torch.Tensor]  # hook name -> pattern [head, query_pos, key_pos]


@dataclass
class StepReport:
    step: int  # steps done so far (1-based)
    total: int
    loss: float  # mean over the steps since the last report
    accuracy: float  # token accuracy, same window
    lr: float
    elapsed_s: float
    snapshot: Snapshot | None = None


Callback = Callable[[StepReport], None]


class Control:
    """Pause / resume / stop, checked between steps; safe to call from another thread."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._stop = threading.Event()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # wake a paused loop so it can finish

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def wait(self) -> bool:
        """Block while paused; return False when asked to stop."""
        self._running.wait()
        return not self._stop.is_set()


@dataclass
class TrainResult:
    steps_done: int
    stopped_early: bool
    history: list[StepReport] = field(default_factory=list)
    elapsed_s: float = 0.0

    @property
    def final(self) -> StepReport | None:
        return self.history[-1] if self.history else None


class Trainer:
    def __init__(self, model, task: Task, cfg: TrainConfig, callbacks: list[Callback] | None = None,
                 control: Control | None = None, attention_names: tuple[str, ...] = ("*hook_pattern",)):
        self.model, self.task, self.cfg = model, task, cfg
        self.callbacks = list(callbacks or [])
        self.control = control or Control()
        self.attention_names = attention_names
        self.rng = random.Random(cfg.seed)
        decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
        no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
        self.opt = torch.optim.AdamW(
            [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
            lr=cfg.lr, betas=cfg.betas,
        )
        self.step = 0

    def train_step(self) -> tuple[float, float]:
        cfg = self.cfg
        lr = lr_at(self.step, cfg)
        for g in self.opt.param_groups:
            g["lr"] = lr
        self.model.train()
        batch = self.task.batch(self.rng, cfg.batch_size)
        logits = self.task.logits(self.model, batch)
        loss, acc = loss_and_accuracy(logits, batch.targets, cfg.label_smoothing)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        if cfg.clip:
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), cfg.clip)
        self.opt.step()
        self.step += 1
        return loss.item(), acc.item()

    def snapshot(self) -> Snapshot:
        """Run the probe through engine.run, capturing logits and attention patterns."""
        p = self.task.probe
        self.model.eval()
        trace = engine_run(self.model, p.ids, target_ids=p.target_ids,
                           capture=Capture(names=list(self.attention_names)))
        probs = torch.softmax(trace.output[0].float(), dim=-1)  # [pos, vocab]
        att = {s.name: s.tensor[0].clone() for s in trace}  # [head, query_pos, key_pos]
        return Snapshot(list(p.ids), p.target_ids, list(p.labels), probs, att)

    def run(self) -> TrainResult:
        cfg = self.cfg
        if cfg.threads:
            torch.set_num_threads(cfg.threads)
        t0 = time.perf_counter()
        result = TrainResult(0, False)
        losses: list[float] = []
        accs: list[float] = []
        while self.step < cfg.steps:
            if not self.control.wait():
                result.stopped_early = True
                break
            loss, acc = self.train_step()
            if not math.isfinite(loss):
                raise FloatingPointError(f"the loss became {loss} at step {self.step}; lower the learning rate")
            losses.append(loss)
            accs.append(acc)
            if self.step % cfg.every == 0 or self.step == cfg.steps:
                report = StepReport(
                    self.step, cfg.steps, sum(losses) / len(losses), sum(accs) / len(accs),
                    lr_at(self.step - 1, cfg), time.perf_counter() - t0,
                    self.snapshot() if cfg.snapshot else None,
                )
                losses.clear()
                accs.clear()
                result.history.append(report)
                for cb in self.callbacks:
                    cb(report)
        self.model.eval()
        result.steps_done = self.step
        result.elapsed_s = time.perf_counter() - t0
        return result
