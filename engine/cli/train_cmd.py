"""`tplay train` (to be written)."""
