"""Reading back settings values of any type: the kind asked for, or the default — never an error."""
import pytest

from gui.stored import as_int, as_kind, as_names, as_text


@pytest.mark.parametrize("raw, kind, want", [
    ("3", int, 3), (3, int, 3), ("2.5", int, None), ("abc", int, None), (True, int, None), ([1], int, None),
    ("0.7", float, 0.7), (None, float, None), ("greedy", str, "greedy"), (5, str, None), (["a"], str, None),
])
def test_as_kind(raw, kind, want):
    assert as_kind(raw, kind) == want


def test_defaults_and_names():
    assert as_int("x", 7) == 7 and as_int("4", 7) == 4
    assert as_text(None, "d") == "d" and as_text("t", "d") == "t"
    assert as_names("one") == ("one",)  # an INI list of one reads back as plain text
    assert as_names(["a", "", 3, "a", "b"]) == ("a", "b")
    assert as_names({"a": 1}) == ()
