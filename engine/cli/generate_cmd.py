"""`tplay generate` (to be written)."""
