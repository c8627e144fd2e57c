"""Tokenizers through the Hugging Face `tokenizers` library (tokenizer.json, vocab files, GGUF
metadata, SentencePiece-only folders read with the `sentencepiece` package), plus a step-by-step
explainer."""
from .wrapper import TextTokenizer, load_tokenizer

__all__ = ["TextTokenizer", "load_tokenizer"]
