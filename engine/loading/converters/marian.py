"""Converter for marian checkpoints (to be written)."""
