"""One parity test over every registered architecture; each family adds its cases in case_*.py."""
