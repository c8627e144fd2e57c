"""Importing this package registers every converter (one file per architecture)."""
from . import (  # noqa: F401
    bart, bert, deberta_v2, falcon, gemma, gemma2, gemma3, gpt2, gpt_neox, gptj, llama, m2m100, marian, mbart,
    mistral, modernbert, olmo, olmo2, opt, pegasus, phi, phi3, qwen2, qwen3, smollm3, stablelm,
)
