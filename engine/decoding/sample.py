"""Sampling: draw each token from the processed distribution, from a seeded generator.

Same seed, same model, same device, same options -> the same tokens. With num_return > 1 the
lines are drawn side by side (one row each) from the one generator.
"""
from __future__ import annotations

import random
from typing import Iterator

import torch

from .events import StepEvent
from .stepwise import stepwise


def sample(gen) -> Iterator[StepEvent]:
    seed = gen.opts.seed
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
        gen.opts.notes.append(f"no seed given; used seed {seed} (pass --seed {seed} to repeat this run)")
    gen.seed_used = seed
    g = torch.Generator(device=gen.decoder.device).manual_seed(seed)

    def draw(logp: torch.Tensor) -> torch.Tensor:
        return torch.multinomial(logp.exp(), 1, generator=g)[:, 0]  # [rows]

    return stepwise(gen, gen.opts.num_return, draw, "sample")
