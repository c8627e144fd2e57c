"""Converter for bert checkpoints (to be written)."""
