"""The tour file: the built-in tour's captions type no number, files round-trip, bad files say why."""
from __future__ import annotations

import re

import pytest

from engine.errors import InputError
from engine.tour import LANGS, fill_caption, load_tour, parse_tour, save_tour
from engine.tour.captions import literal_text, placeholders
from engine.tour.facts import FACTS

BUILTIN = "how-a-transformer-works"


def test_builtin_tour_captions_state_no_number_of_their_own_and_round_trip(tmp_path):
    tour = load_tour(BUILTIN)
    assert len(tour.stops) >= 14 and tour.text("zh") != tour.text("en")
    views = {s.view for s in tour.stops}
    assert {"tokens", "embedding", "positions-diagram", "attention", "qkv", "probabilities", "greedy", "beam",
            "training"} <= views
    for s in tour.stops:
        assert set(s.caption) == set(LANGS), s.id
        assert all(f in FACTS for f in s.facts), s.id
        for lang in LANGS:
            for what in ("caption", "title"):
                text = literal_text(s.text(what, lang))
                # a key's name (F10) is not a number; a digit anywhere else would be a number typed in
                assert not re.search(r"\d", text.replace("F10", "")), (s.id, lang, what, text)
        # both languages state the same numbers
        assert sorted(placeholders(s.caption["en"])) == sorted(placeholders(s.caption["zh"])), s.id
    for name in ("t.toml", "t.json"):
        save_tour(tour, tmp_path / name)
        again = load_tour(str(tmp_path / name))
        assert again.stops == tour.stops and again.title == tour.title
    assert not list(tmp_path.glob(".*part"))  # written beside the target, then renamed


@pytest.mark.parametrize("text, message", [
    ("stops = 3", "no stops"),
    ("[[stops]]\nid = 'a'\nmodel = 'tiny-gpt'\nview = 'tokens'\ncolour = 'red'\ncaption = 'x'", "unknown field 'colour'"),
    ("[[stops]]\nid = 'a'\nmodel = 'tiny-gpt'\nview = 'tokens'", "caption needs at least its English"),
    ("[[stops]]\nid = 'a'\nmodel = 'tiny-gpt'\nview = 'tokens'\ncaption = { fr = 'x' }", "language 'fr'"),
    ("[[stops]]\nid = 'a'\nmodel = 'tiny-gpt'\nview = 'tokens'\nlayer = 'one'\ncaption = 'x'", "layer must be a whole number"),
    ("[[stops]]\nid = 'a'\nmodel = 'tiny-gpt'\nview = 'tokens'\nhighlight = [1]\ncaption = 'x'", "highlight must be [row, column]"),
    ("[[stops]\nid = 'a'", "not valid TOML"),
])
def test_bad_tour_files_say_what_is_wrong_in_one_line(tmp_path, text, message):
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as e:
        load_tour(str(f))
    assert "\n" not in str(e.value)


def test_a_caption_placeholder_that_no_fact_gives_is_an_error_and_formats_apply():
    assert fill_caption("p = {p:.3f}", {"p": 0.12345}) == "p = 0.123"
    with pytest.raises(InputError, match=r"\{weight\}.*facts give: p"):
        fill_caption("w = {weight}", {"p": 1})
    with pytest.raises(InputError, match="two stops have the id"):
        parse_tour({"stops": [{"id": "a", "model": "m", "view": "tokens", "caption": "x"}] * 2})
    with pytest.raises(InputError, match="no tour 'nope'"):
        load_tour("nope")
