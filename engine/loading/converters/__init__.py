"""Importing this package registers every converter (one file per architecture)."""
from . import (  # noqa: F401
    bert, falcon, gemma, gemma2, gemma3, gpt2, gpt_neox, gptj, llama, marian, mistral, olmo, olmo2, opt, phi, phi3,
    qwen2, qwen3, smollm3, stablelm, t5,
)
