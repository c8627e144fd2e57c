"""The shape every user error takes: exit code ≠ 0 and one `tplay: error:` line, no traceback."""


def one_line_error(code, err) -> str:
    """Check the exit code and the one-line shape; return the message for the caller to check."""
    assert code != 0
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("tplay: error: ")
    assert "Traceback" not in err
    return lines[0].removeprefix("tplay: error: ")
