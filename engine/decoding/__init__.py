"""Decoding lab: logits processors, strategies as StepEvent generators, masked filling.

    gen = Generation(model, prompt_ids, GenerationOptions(strategy="beam", num_beams=2, num_return=2))
    for event in gen: ...          # one StepEvent per step (stop iterating to cancel)
    gen.sequences                  # best first

Names are imported lazily, so the lab can build its knobs from processors.PROCESSORS before
torch is imported (the window shows first).
"""
from ..lazy import lazy_getattr

_EXPORTS = {
    "DECODERS": ".decoders", "Decoder": ".decoders", "decoder_for": ".decoders",
    "Candidate": ".events", "Hypothesis": ".events", "Sequence": ".events", "Stage": ".events",
    "StepEvent": ".events", "Generation": ".generation", "generate": ".generation",
    "MaskFill": ".masked_fill", "fill_masks": ".masked_fill", "GenerationOptions": ".options",
    "PROCESSORS": ".processors", "Chain": ".processors", "build_chain": ".processors",
    "STRATEGIES": ".strategies",
}
__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr(__name__, _EXPORTS, globals())
