"""A new processor is one class: its CLI flags (`tplay generate`, `tplay render`), its lab knob and
its stage chart all appear from its declared Option, with no other file touched."""
from __future__ import annotations

import json
import math

import pytest

from engine.decoding.processors import PROCESSORS, Option, Processor, register
from gui.lab.lab_widget import LabWidget

WAIT = 60000


class BanToken(Processor):
    """Made up for this test: forbid one token id."""

    option = Option("ban_token", "ban token", int, -1, "never pick token id N (default -1 = off)", -1, 100000)

    def __init__(self, token: int):
        self.token = token

    def __call__(self, ids, scores):
        scores = scores.clone()
        scores[:, self.token] = -math.inf
        return scores

    def describe(self):
        return f"ban token {self.token}"


@pytest.fixture
def ban_token():
    register(BanToken)
    yield BanToken
    PROCESSORS.pop("ban_token")


def _tplay(capsys, *args):
    from gui.cli import main

    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def _greedy(lm, prompt, extra=()):
    from engine.decoding import Generation, GenerationOptions

    gen = Generation(lm.model, lm.tokenizer.encode(prompt).ids, GenerationOptions.make(max_new_tokens=1, **dict(extra)))
    list(gen)
    return gen.sequences[0].ids[0]


def test_the_generate_flag_comes_from_the_declaration(ban_token, capsys, tiny_gpt, loaded_gpt):
    first = _greedy(loaded_gpt, "hello")  # what greedy decoding picks without the ban
    rc, out, err = _tplay(capsys, "generate", "-m", tiny_gpt, "--device", "cpu", "--prompt", "hello",
                          "--max-new-tokens", "1", "--ban-token", str(first), "--json")
    assert rc == 0, err
    res = json.loads(out.strip().splitlines()[-1])
    assert res["processors"] == f"ban token {first}"
    assert res["sequences"][0]["ids"][0] != first  # the banned token is really not chosen
    rc, _, err = _tplay(capsys, "generate", "-m", tiny_gpt, "--device", "cpu", "--prompt", "hello",
                        "--ban-token", "many")
    assert rc != 0 and "--ban-token must be a whole number" in err


def test_the_help_of_both_commands_lists_the_flag(ban_token, capsys):
    for cmd in ("generate", "render"):
        with pytest.raises(SystemExit):
            _tplay(capsys, cmd, "--help")
        out = capsys.readouterr().out
        assert "--ban-token" in out and "never pick token id N" in out, cmd


def test_the_lab_knob_and_stage_chart_come_from_the_declaration(ban_token, qtbot, loaded_gpt):
    lab = LabWidget()
    qtbot.addWidget(lab)
    lab.resize(1400, 800)
    lab.set_model(loaded_gpt)
    lab.panel.prompt.setText("hello")
    knob = lab.panel.knobs["ban_token"]
    assert knob.isEnabled()  # not a warper: it applies to greedy decoding too
    first = _greedy(loaded_gpt, "hello")
    knob.setValue(first)
    assert lab.panel.settings().processors["ban_token"] == first
    assert lab.panel.settings().flat()["ban_token"] == first  # its settings key
    lab.panel.n.setValue(1)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.panel.gen_btn.click()
    titles = [c.title.text() for c in lab.stages.charts if not c.isHidden()]
    assert titles[0].startswith("raw") and titles[1].startswith("ban token:"), titles
    assert lab.controller.tokens[0] != first  # the knob really drove the run
    lab.controller.jobs.wait(5000)
