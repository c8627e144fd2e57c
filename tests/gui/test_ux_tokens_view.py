"""The tokens view: the tokens table gets the largest share of the splitter from the first layout,
and stepping through the tokenizer recolours the prompt by the pieces of the moment: after each
BPE merge the word's coloured spans are exactly the explainer's current symbols; at the end the
colouring is the tokens'."""
from __future__ import annotations

from gui import engine_calls
from gui.views.base import StepContext
from gui.views.tokens import TokensView

PROMPT = "Hello world, the tokenizers merge pairs"


def test_table_share_and_merges_recolour_the_text(qtbot, loaded_gpt):
    lm = loaded_gpt
    store = engine_calls.run_prompt(lm, PROMPT, None, lambda: False)
    view = TokensView()
    qtbot.addWidget(view)
    view.resize(520, 640)
    view.show()
    qtbot.waitExposed(view)
    view.show_step(StepContext(store, "tokens", tokenizer=lm.tokenizer))
    total = sum(view.split.sizes())
    assert view.table.height() >= 0.4 * total and view.table.height() > view.text.height()
    row_h = view.table.verticalHeader().defaultSectionSize()
    assert view.table.viewport().height() >= 8 * row_h  # eight rows or more, not three
    final_html = view.text.toHtml()

    view.advance()  # the first step: "input"; nothing is tokenized yet
    assert view.colouring == [] and view.text.toHtml() != final_html
    merges_seen = 0
    while view.shown < len(view.steps):
        view.advance()
        step = view.pieces.steps[view.shown - 1]
        if step.kind != "bpe_merge" or "symbols" not in step.data:
            continue
        merges_seen += 1
        wi = step.data["word_index"]
        word = view.pieces.words[wi]
        first, last = store.offsets[word.tokens[0]][0], store.offsets[word.tokens[-1]][1]
        spans = [s for s in view.colouring if first <= s.start and s.end <= last and s.end > s.start]
        want = [t.replace("Ġ", " ") for t in step.data["symbols"]]
        assert [PROMPT[s.start:s.end] for s in spans] == want  # the text's colours: the current pieces
        fresh = [PROMPT[s.start:s.end] for s in spans if s.fresh]
        assert fresh == [want[step.data["position"]]]  # the piece just merged is outlined
        assert len({s.colour for s in spans[:2]}) == min(2, len(spans))  # neighbours differ
    assert merges_seen >= 3
    assert view.colouring is None and view.text.toHtml() == final_html  # the end: the tokens themselves
    view.steps_list.setCurrentRow(3)  # clicking a step shows the text as it was after it
    assert view.colouring is not None
