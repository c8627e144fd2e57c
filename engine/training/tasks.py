"""What a training step feeds the model and how it scores it, per model family.

A task turns its data into batches, computes the loss, and names a fixed probe example whose
per-position distributions and attention patterns are snapshotted for the training view.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Protocol, Sequence

import torch
import torch.nn.functional as F


@dataclass
class Batch:
    inputs: dict[str, torch.Tensor]  # keyword arguments for the model
    targets: torch.Tensor  # [batch, pos] token ids, ignore_index where nothing is predicted


@dataclass
class Probe:
    """One example shown in snapshots: what goes in and the target at every output position."""

    ids: list[int]
    target_ids: list[int] | None  # decoder input (encoder-decoder); None for decoder-only
    labels: list[int]  # the one-hot target at each output position


class Task(Protocol):
    ignore_index: int
    probe: Probe

    def batch(self, rng: random.Random, size: int) -> Batch: ...

    def logits(self, model, batch: Batch) -> torch.Tensor: ...


IGNORE = -100


def _pad(rows: Sequence[Sequence[int]], value: int) -> torch.Tensor:
    n = max(len(r) for r in rows)
    return torch.tensor([list(r) + [value] * (n - len(r)) for r in rows], dtype=torch.long)  # [batch, n]


class Seq2SeqTask:
    """Teacher forcing: decoder input = [start] + target[:-1], predict target (ending in </s>)."""

    ignore_index = IGNORE

    def __init__(self, pairs: Sequence[tuple[list[int], list[int]]], pad_id: int, start_id: int,
                 probe_pair: tuple[list[int], list[int]] | None = None):
        if not pairs:
            raise ValueError("a sequence-to-sequence task needs at least one pair")
        self.pairs = list(pairs)
        self.pad_id, self.start_id = pad_id, start_id
        self._order: list[int] = []
        src, tgt = probe_pair or self.pairs[0]
        self.probe = Probe(list(src), [start_id] + list(tgt[:-1]), list(tgt))

    def batch(self, rng: random.Random, size: int) -> Batch:
        if len(self._order) < size:  # reshuffle once an epoch is used up
            order = list(range(len(self.pairs)))
            rng.shuffle(order)
            self._order.extend(order)
        idx, self._order = self._order[:size], self._order[size:]
        src = _pad([self.pairs[i][0] for i in idx], self.pad_id)  # [batch, src_pos]
        tgt = [self.pairs[i][1] for i in idx]
        dec_in = _pad([[self.start_id] + t[:-1] for t in tgt], self.pad_id)  # [batch, tgt_pos]
        labels = _pad(tgt, IGNORE)  # [batch, tgt_pos]
        return Batch({"src_ids": src, "tgt_ids": dec_in, "src_mask": src != self.pad_id}, labels)

    def logits(self, model, batch: Batch) -> torch.Tensor:
        i = batch.inputs
        return model(i["src_ids"], i["tgt_ids"], src_mask=i["src_mask"])  # [batch, tgt_pos, vocab]


class LanguageModelTask:
    """Next-token prediction on random windows of one long token stream."""

    ignore_index = IGNORE

    def __init__(self, stream: Sequence[int], window: int, probe_ids: list[int] | None = None):
        if len(stream) <= window + 1:
            raise ValueError(f"the token stream ({len(stream)}) must be longer than the window ({window})")
        self.stream = torch.tensor(list(stream), dtype=torch.long)
        self.window = window
        ids = probe_ids or self.stream[: min(16, window) + 1].tolist()
        self.probe = Probe(ids[:-1], None, ids[1:])

    def batch(self, rng: random.Random, size: int) -> Batch:
        starts = [rng.randrange(0, len(self.stream) - self.window - 1) for _ in range(size)]
        rows = torch.stack([self.stream[s:s + self.window + 1] for s in starts])  # [batch, window+1]
        return Batch({"ids": rows[:, :-1]}, rows[:, 1:])

    def logits(self, model, batch: Batch) -> torch.Tensor:
        return model(batch.inputs["ids"])  # [batch, window, vocab]


def loss_and_accuracy(logits: torch.Tensor, targets: torch.Tensor, smoothing: float = 0.0):
    """Mean cross-entropy over predicted positions, and the share predicted exactly (argmax)."""
    flat = logits.reshape(-1, logits.shape[-1])  # [batch*pos, vocab]
    tgt = targets.reshape(-1)  # [batch*pos]
    loss = F.cross_entropy(flat, tgt, ignore_index=IGNORE, label_smoothing=smoothing)
    keep = tgt != IGNORE
    acc = (flat.argmax(-1)[keep] == tgt[keep]).float().mean()
    return loss, acc


class MaskedLMTask:
    """BERT's masked-language-model objective on a list of tokenized sentences.

    In each sentence every ordinary token (not [CLS] / [SEP] / [PAD]) is chosen with
    probability `rate`; a chosen token becomes [MASK] (80 %), a random ordinary token (10 %) or
    stays as it is (10 %), and the loss is taken on the chosen positions only (the others are
    `ignore_index`). The draws come from the step's seeded `rng`, so a run is repeatable.
    """

    ignore_index = IGNORE

    def __init__(self, sentences: Sequence[Sequence[int]], *, pad_id: int, mask_id: int,
                 special_ids: Sequence[int], vocab_size: int, rate: float = 0.15,
                 probe: tuple[list[int], list[int]] | None = None):
        if not sentences:
            raise ValueError("a masked-LM task needs at least one sentence")
        if not 0.0 < rate < 1.0:
            raise ValueError(f"the masking rate must be in (0, 1), got {rate}")
        self.sentences = [list(s) for s in sentences]
        self.pad_id, self.mask_id, self.rate = pad_id, mask_id, rate
        self.special = set(special_ids) | {pad_id, mask_id}
        self.ordinary = [i for i in range(vocab_size) if i not in self.special]  # random replacements
        self._order: list[int] = []
        ids, labels = probe or (self.sentences[0], self.sentences[0])
        self.probe = Probe(list(ids), None, list(labels))

    def mask(self, rng: random.Random, ids: Sequence[int]) -> tuple[list[int], list[int]]:
        """(model input, targets) for one sentence: targets hold the original id where chosen."""
        inp, tgt = list(ids), [IGNORE] * len(ids)
        for i, t in enumerate(ids):
            if t in self.special or rng.random() >= self.rate:
                continue
            tgt[i] = t
            r = rng.random()
            if r < 0.8:
                inp[i] = self.mask_id
            elif r < 0.9:
                inp[i] = rng.choice(self.ordinary)
        return inp, tgt

    def batch(self, rng: random.Random, size: int) -> Batch:
        if len(self._order) < size:  # reshuffle once an epoch is used up
            order = list(range(len(self.sentences)))
            rng.shuffle(order)
            self._order.extend(order)
        idx, self._order = self._order[:size], self._order[size:]
        pairs = [self.mask(rng, self.sentences[i]) for i in idx]
        if all(t == IGNORE for _, tgt in pairs for t in tgt):  # nothing chosen: the loss would be 0/0
            first = next(((r, i) for r, (inp, _) in enumerate(pairs) for i, t in enumerate(inp)
                          if t not in self.special), None)
            if first is None:
                raise ValueError("the batch has no ordinary token to mask")
            r, i = first
            pairs[r][1][i], pairs[r][0][i] = pairs[r][0][i], self.mask_id
        ids = _pad([p[0] for p in pairs], self.pad_id)  # [batch, pos]
        targets = _pad([p[1] for p in pairs], IGNORE)  # [batch, pos]
        return Batch({"ids": ids, "attention_mask": ids != self.pad_id}, targets)

    def logits(self, model, batch: Batch) -> torch.Tensor:
        i = batch.inputs
        return model(i["ids"], attention_mask=i["attention_mask"])  # [batch, pos, vocab]
