"""Decoding lab: logits processors, strategies as StepEvent generators, masked filling.

    gen = Generation(model, prompt_ids, GenerationOptions(strategy="beam", num_beams=2, num_return=2))
    for event in gen: ...          # one StepEvent per step (stop iterating to cancel)
    gen.sequences                  # best first
"""
from .decoders import DECODERS, Decoder, decoder_for
from .events import Candidate, Hypothesis, Sequence, Stage, StepEvent
from .generation import Generation, generate
from .masked_fill import MaskFill, fill_masks
from .options import GenerationOptions
from .processors import PROCESSORS, Chain, build_chain
from .strategies import STRATEGIES

__all__ = [
    "Candidate", "Chain", "DECODERS", "Decoder", "Generation", "GenerationOptions", "Hypothesis",
    "MaskFill", "PROCESSORS", "STRATEGIES", "Sequence", "Stage", "StepEvent", "build_chain",
    "decoder_for", "fill_masks", "generate",
]
