"""Tokens: the prompt with token boundaries coloured, each token's id and bytes, and (when the
engine's explainer is available) its steps — BPE merges, WordPiece, byte fallback — animated:
while they play, the prompt is coloured by the pieces of the moment (gui/views/token_steps.py).

A long prompt colours COLOURED tokens around the selected position (the rest is plain text, said
in the summary line): Qt lays out each coloured span apart, ~0.2 s for 2,000 of them. The table
is a model (gui/views/token_table.py) whose rows are made when they are shown."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QPushButton, QSplitter, QTableView,
                               QTextBrowser, QVBoxLayout, QWidget)

from .base import StepContext, View
from .token_steps import PieceSteps, Span
from .token_table import TokenTableModel, readable  # noqa: F401 - readable: part of this view's API
from ..theme import TOKEN_INK
from ..i18n import tr

PALETTE = ["#ffd8a8", "#b2f2bb", "#a5d8ff", "#eebefa", "#ffec99", "#c3fae8", "#ffc9c9", "#d0bfff"]
SHARES = (20, 55, 25)  # the splitter's default split: coloured text, tokens table, tokenizer steps
COLOURED = 200  # tokens coloured at most (~20 ms of Qt's text layout); a longer prompt: a window of them
WINDOW_ANCHOR = "coloured"  # where the coloured tokens start (the text is scrolled there)
WIDTH_ROWS = 64  # the table's column widths are measured on this many rows and the LONGEST longest tokens
LONGEST = 16
CELL_PAD = 18  # a cell's margins and the header's, beyond its text


def has_explainer() -> bool:
    """Whether engine.tokenizers.explain exists, without importing it (~50 ms, paid on Play)."""
    import importlib.util

    try:
        return importlib.util.find_spec("engine.tokenizers.explain") is not None
    except ImportError:
        return False


def explainer():
    """engine.tokenizers.explain when it exists (another part of the engine), else None."""
    try:
        from engine.tokenizers import explain
    except ImportError:
        return None
    return explain


STEP_MS = 600  # Play's pace at 1×
SPEEDS = [("¼×", STEP_MS * 4), ("½×", STEP_MS * 2), ("1×", STEP_MS), ("2×", STEP_MS // 2), ("4×", STEP_MS // 4),
          ("10×", STEP_MS // 10)]


class TokensView(View):
    name = "tokens"

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.text = QTextBrowser()
        self.rows = TokenTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.rows)
        self.table.verticalHeader().setVisible(False)
        self.split = split = QSplitter(Qt.Vertical)
        split.addWidget(self.text)
        split.addWidget(self.table)
        split.addWidget(self._explainer_panel())
        split.setChildrenCollapsible(False)
        self._user_split = False  # the user dragged a handle: keep their split from then on
        split.splitterMoved.connect(self._split_moved)
        self.text.setMinimumHeight(44)  # one line of the coloured prompt
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 5)
        lay.addWidget(self.summary)
        lay.addWidget(split, 1)
        self.ctx: StepContext | None = None
        self.coloured: tuple[int, int] | None = None  # the tokens [a, b) shown on their colours

    def resizeEvent(self, e) -> None:  # noqa: N802 - Qt's name
        """SHARES of the height until the user drags a handle (sizes set before the first layout,
        or stretch factors, did not survive Qt's own first split by size hints)."""
        super().resizeEvent(e)
        h = self.split.height()
        if not self._user_split and h > 60:
            self.split.setSizes([h * s // sum(SHARES) for s in SHARES])

    def _split_moved(self, *_) -> None:
        self._user_split = True

    # --- explainer ---------------------------------------------------------------------
    def _explainer_panel(self) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.play = QPushButton(tr("▶ Play"))
        self.step_btn = QPushButton(tr("Step"))
        self.restart = QPushButton("⟲")
        self.to_end = QPushButton(tr("Show all"))
        self.to_end.setToolTip(tr("show every remaining step at once"))
        self.speed = QComboBox()
        self.speed.setToolTip(tr("Play's pace"))
        for label, ms in SPEEDS:
            self.speed.addItem(label, ms)
        self.speed.setCurrentIndex([label for label, _ in SPEEDS].index("1×"))
        self.explain_state = QLabel(tr("tokenizer steps"))
        for w in (self.play, self.step_btn, self.to_end, self.restart, self.speed):
            bar.addWidget(w)
        bar.addWidget(self.explain_state, 1)
        v.addLayout(bar)
        self.steps_list = QListWidget()
        self.steps_list.setMinimumHeight(40)  # two steps: a short inspector leaves the rows to the table
        v.addWidget(self.steps_list)
        self.timer = QTimer(self)
        self.timer.setInterval(STEP_MS)
        self.timer.timeout.connect(self.advance)
        self.speed.currentIndexChanged.connect(lambda _i: self.timer.setInterval(self.speed.currentData()))
        self.to_end.clicked.connect(self.show_all)
        self.play.clicked.connect(self.toggle_play)
        self.step_btn.clicked.connect(self.advance)
        self.restart.clicked.connect(self._restart)
        self.steps_list.currentRowChanged.connect(self._step_selected)
        self.steps: list[str] = []
        self.shown = 0
        self.loaded = False
        self.pieces: PieceSteps | None = None
        self.colouring: list[Span] | None = None  # the spans shown while stepping; None: the tokens
        return box

    def _reset_steps(self) -> None:
        """A new prompt: the explanation is computed when Play or Step is first pressed."""
        self.timer.stop()
        self.play.setText(tr("▶ Play"))
        self.steps, self.shown, self.loaded, self.pieces, self.colouring = [], 0, False, None, None
        self.steps_list.clear()
        ok = has_explainer() and self.ctx is not None and self.ctx.tokenizer is not None
        for w in (self.play, self.step_btn, self.restart, self.to_end):
            w.setEnabled(ok)
        self.explain_state.setText(tr("press Play or Step to watch the tokenizer work, step by step") if ok
                                   else tr("the step-by-step tokenizer explainer is not available in this build"))

    def _load_steps(self) -> None:
        ex = explainer()
        try:
            exp = ex.explain(self.ctx.tokenizer, self.ctx.store.prompt)
            self.steps = [f"{s.kind}: {s.description}" for s in exp.steps]
            self.pieces = PieceSteps(exp)
        except Exception as e:  # noqa: BLE001 - an explainer failure must not break the view
            self.explain_state.setText(tr("explainer: {error}").format(error=e))
            return
        self.loaded = True
        self.explain_state.setText(tr("{n} steps ({model})").format(n=len(self.steps), model=exp.model))

    def toggle_play(self) -> None:
        if not self.loaded:
            self._load_steps()
        if self.timer.isActive():
            self.timer.stop()
            self.play.setText(tr("▶ Play"))
        else:
            self.timer.start()
            self.play.setText(tr("⏸ Pause"))

    def advance(self) -> None:
        if not self.loaded:
            self._load_steps()
        if self.shown >= len(self.steps):
            self.timer.stop()
            self.play.setText(tr("▶ Play"))
            return
        self.steps_list.addItem(f"{self.shown + 1}. {self.steps[self.shown]}")
        self.shown += 1
        self.steps_list.setCurrentRow(self.shown - 1)  # recolours the text (_step_selected)

    def show_all(self) -> None:
        """Every remaining step at once (a long prompt need not be watched step by step)."""
        if not self.loaded:
            self._load_steps()
        self.timer.stop()
        self.play.setText(tr("▶ Play"))
        self.steps_list.setUpdatesEnabled(False)
        try:
            while self.shown < len(self.steps):
                self.steps_list.addItem(f"{self.shown + 1}. {self.steps[self.shown]}")
                self.shown += 1
        finally:
            self.steps_list.setUpdatesEnabled(True)
        if self.steps:
            self.steps_list.setCurrentRow(self.shown - 1)

    def _restart(self) -> None:
        self.shown = 0
        self.steps_list.clear()
        self.recolour(0)

    def _step_selected(self, row: int) -> None:
        if row >= 0:
            self.recolour(row + 1)

    def recolour(self, k: int) -> None:
        """The prompt coloured by its pieces after the first k steps (all steps: the tokens)."""
        if self.ctx is None:
            return
        s = self.ctx.store
        if self.pieces is None or k >= len(self.steps):
            self.text.setHtml(self._html(s.prompt, s.offsets, s.tokens, self.coloured))
            self.colouring = None
        else:
            try:
                self.colouring = self.pieces.spans(k)
            except Exception as e:  # noqa: BLE001 - a colouring bug must not stop the step-through
                self.pieces, self.colouring = None, None
                self.explain_state.setText(f"the text keeps its final colours (the steps' pieces: {e})")
                return self.recolour(k)
            self.text.setHtml(spans_html(s.prompt, self.colouring))

    # --- the tokens --------------------------------------------------------------------
    def show_step(self, ctx: StepContext) -> None:
        self.ctx = ctx
        s = ctx.store
        byte_level = bool(ctx.tokenizer) and "ByteLevel" in repr(getattr(ctx.tokenizer.tok, "pre_tokenizer", ""))
        raw = [ctx.tokenizer.id_to_token(i) for i in s.ids] if ctx.tokenizer else s.tokens
        n = len(s.ids)
        self.coloured = coloured_window(n, ctx.pos(n) if n else 0, COLOURED)
        summary = tr("{tokens} tokens · {chars} characters · {per:.2f} characters per token").format(
            tokens=n, chars=len(s.prompt), per=len(s.prompt) / max(n, 1))
        a, b = self.coloured
        if b - a < n:
            summary += " · " + tr("tokens {first}–{last} coloured (around the selected position; the table lists all)").format(
                first=a, last=b - 1)
        self.summary.setText(summary)
        self.text.setHtml(self._html(s.prompt, s.offsets, s.tokens, self.coloured))
        if a > 0:
            self.text.scrollToAnchor(WINDOW_ANCHOR)
        self.rows.set_tokens(s.tokens[:n], s.ids, raw, byte_level)
        self._fit_columns()
        self._reset_steps()

    def _fit_columns(self) -> None:
        """Each column as wide as its widest cell among the first WIDTH_ROWS rows and the longest
        tokens (Qt's resizeColumnsToContents asks a hidden table for every row: 0.1-0.25 s at 2,000 rows)."""
        m, fm, header = self.rows, self.table.fontMetrics(), self.table.horizontalHeader()
        n = m.rowCount()
        longest = sorted(range(n), key=lambda i: len(m.tokens[i]), reverse=True)[:LONGEST]
        rows = sorted(set(range(min(n, WIDTH_ROWS))) | set(longest))
        for c in range(m.columnCount()):
            texts = [m.row(i)[0][c] for i in rows] + [m.headerData(c, Qt.Horizontal)]
            header.resizeSection(c, max(fm.horizontalAdvance(t) for t in texts) + CELL_PAD)

    @staticmethod
    def _html(text: str, offsets: list[tuple[int, int]], tokens: list[str], window: tuple[int, int] | None = None) -> str:
        """The prompt with tokens [window) on their colours (all: None), the text around them plain."""
        lo, hi = window or (0, len(offsets))
        out, pos, first = [], 0, lo
        if lo > 0:
            pos = offsets[lo][0]
            out.append(_plain(text[:pos]) + f"<a name='{WINDOW_ANCHOR}'></a>")
        for i in range(lo, hi):
            a, b = offsets[i]
            if a == b:  # a special token with no characters of its own
                out.append(f"<span style='background:#ddd;color:{TOKEN_INK};border:1px solid #999'>{html.escape(tokens[i])}</span>")
                continue
            if a > pos:
                out.append(html.escape(text[pos:a]))
            if a < pos:  # more byte tokens of the same character: one mark "tokens first–i"
                mark = f"<sub style='color:#666'>{first}–{i}</sub>"
                if out and out[-1].startswith("<sub"):
                    out[-1] = mark
                else:
                    out.append(mark)
                continue
            first = i
            piece = html.escape(text[a:b]).replace(" ", "&nbsp;").replace("\n", "⏎<br>")
            out.append(f"<span title='{i}' style='background:{PALETTE[i % len(PALETTE)]};color:{TOKEN_INK}'>{piece}</span>")
            pos = b
        out.append(html.escape(text[pos:]) if hi == len(offsets) else _plain(text[pos:]))
        return "<div style='font-size:15pt;line-height:160%'>" + "".join(out) + "</div>"


def _plain(text: str) -> str:
    return html.escape(text).replace("\n", "⏎<br>")


def coloured_window(n: int, selected: int, most: int) -> tuple[int, int]:
    """[a, b): at most `most` of n tokens around `selected` (all of them when they fit)."""
    if n <= most:
        return 0, n
    a = min(max(selected - most // 2, 0), n - most)
    return a, a + most


def spans_html(text: str, spans: list[Span]) -> str:
    """`text` with each span on its palette colour (the piece just made bold, underlined), the rest plain."""
    out, pos = [], 0
    for sp in spans:
        if sp.start < pos or sp.end <= sp.start:
            continue  # an empty span (a byte of a character another symbol shows) or an overlap
        out.append(html.escape(text[pos:sp.start]).replace("\n", "⏎<br>"))
        piece = html.escape(text[sp.start:sp.end]).replace(" ", "&nbsp;").replace("\n", "⏎<br>")
        edge = ";font-weight:bold;text-decoration:underline" if sp.fresh else ""
        out.append(f"<span title='{html.escape(sp.label, quote=True)}' style='background:"
                   f"{PALETTE[sp.colour % len(PALETTE)]};color:{TOKEN_INK}{edge}'>{piece}</span>")
        pos = sp.end
    out.append(html.escape(text[pos:]).replace("\n", "⏎<br>"))
    return "<div style='font-size:15pt;line-height:160%'>" + "".join(out) + "</div>"
