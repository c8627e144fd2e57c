"""Matrices larger than the screen (issue 13, a 2,000-token prompt): a heatmap draws at most one
image pixel per screen pixel, each showing the value of largest magnitude of the cells it stands
for (said in its info line); zooming in re-renders the window in view cell by cell; the colour
scale stays the whole matrix's and hover reads the exact cell. The tokens table builds only the
rows it shows."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from gui.views.heatmap import Heatmap
from gui.views.lod import block_extreme

N = 2000


def _one(a: np.ndarray, kr: int, kc: int, i: int, j: int) -> float:
    """Block (i, j)'s value of largest |value|, non-finite cells left out (NaN if all are)."""
    block = a[i * kr:(i + 1) * kr, j * kc:(j + 1) * kc].ravel()
    block = block[np.isfinite(block)]
    return float(block[np.argmax(np.abs(block))]) if block.size else np.nan


def _brute(a: np.ndarray, kr: int, kc: int) -> np.ndarray:
    rows, cols = -(-a.shape[0] // kr), -(-a.shape[1] // kc)
    return np.array([[_one(a, kr, kc, i, j) for j in range(cols)] for i in range(rows)], np.float32)


def _check_pixels(img: np.ndarray, a: np.ndarray, kr: int, kc: int, extra=()) -> None:
    """img against the brute-force value of 400 random pixels, the four corners and `extra` cells' pixels."""
    rng = np.random.default_rng(3)
    h, w = img.shape
    picks = list(zip(rng.integers(0, h, 400), rng.integers(0, w, 400)))
    picks += [(0, 0), (0, w - 1), (h - 1, 0), (h - 1, w - 1)] + [(r // kr, c // kc) for r, c in extra]
    got = np.array([img[i, j] for i, j in picks])
    np.testing.assert_array_equal(got, np.array([_one(a, kr, kc, i, j) for i, j in picks], np.float32))


@pytest.mark.parametrize("shape, k", [((7, 9), (2, 4)), ((10, 3), (3, 1)), ((5, 8), (1, 3)), ((6, 6), (6, 6))])
def test_block_extreme_is_each_blocks_largest_magnitude_with_its_sign(shape, k):
    rng = np.random.default_rng(1)
    a = rng.standard_normal(shape).astype(np.float32)
    a[0, 0], a[-1, -1] = -np.inf, np.nan  # a masked cell never wins; a block of only such cells is NaN
    want = _brute(a, *k)
    np.testing.assert_array_equal(block_extreme(a, *k), want)
    pos = np.abs(np.nan_to_num(a, neginf=0.0))
    np.testing.assert_array_equal(block_extreme(pos, *k, sign=1), _brute(pos, *k))  # the max alone
    np.testing.assert_array_equal(block_extreme(-pos, *k, sign=-1), _brute(-pos, *k))  # the min alone


@pytest.fixture
def big(qtbot):
    """A shown 700×560 heatmap holding a 2,000 × 2,000 matrix with an outlier far from its neighbours."""
    rng = np.random.default_rng(0)
    data = rng.random((N, N), dtype=np.float32) * 0.5
    data[1234, 567] = 7.0  # the largest value: must survive any downsampling
    data[5, 1990] = -3.0  # the smallest: the colour scale is the whole matrix's
    h = Heatmap()
    qtbot.addWidget(h)
    h.resize(700, 560)
    h.show()
    qtbot.waitExposed(h)
    labels = [f"t{i}" for i in range(N)]
    h.set_matrix(data, labels, labels, row_name="query", col_name="key")
    qtbot.waitUntil(lambda: not h.pending)
    return h, data


def _shown_pixels(h) -> tuple[float, float]:
    vb, dpr = h.plot.vb, h.devicePixelRatioF()
    return vb.width() * dpr, vb.height() * dpr


def test_a_large_matrix_is_drawn_at_screen_resolution_and_the_info_line_says_what_a_pixel_is(big):
    h, data = big
    img = h.img.image
    w, hgt = _shown_pixels(h)
    assert img.shape[0] <= hgt and img.shape[1] <= w  # at most one image pixel per screen pixel
    d = h.drawn
    assert d.kr > 1 and d.kc > 1 and (d.r0, d.r1, d.c0, d.c1) == (0, N, 0, N)
    assert img.shape == (-(-N // d.kr), -(-N // d.kc))
    _check_pixels(img, data, d.kr, d.kc, extra=[(1234, 567), (5, 1990)])
    assert img[1234 // d.kr, 567 // d.kc] == 7.0  # the outlier's pixel shows it, not an average
    assert f"1 pixel = {d.kr}×{d.kc} cells" in h.info_text and "largest |value|" in h.info_text
    assert h.img.levels is not None and tuple(np.ravel(h.img.levels)) == (-7.0, 7.0)  # diverging: ±max|v|


def test_hover_reads_the_exact_cell_of_the_whole_matrix(big, qtbot):
    h, data = big
    r, c = 1234, 567
    with qtbot.waitSignal(h.hovered, timeout=3000) as sig:
        h.scene().sigMouseMoved.emit(h.plot.vb.mapViewToScene(QPointF(c + 0.5, r + 0.5)))
    assert sig.args[0] == f"query {r} ‘t{r}’ × key {c} ‘t{c}’ = {float(data[r, c]):.6g}"
    assert h.info_text.startswith(sig.args[0]) and "1 pixel =" in h.info_text


def test_zooming_in_re_renders_the_window_in_view_cell_by_cell(big, qtbot):
    h, data = big
    h.plot.vb.setRange(xRange=(1500, 1540), yRange=(200, 230), padding=0)
    qtbot.waitUntil(lambda: h.drawn.kr == 1 and h.drawn.kc == 1)
    d = h.drawn
    assert d.r0 <= 200 and 230 <= d.r1 and d.c0 <= 1500 and 1540 <= d.c1 and (d.r1 - d.r0) < 100
    np.testing.assert_array_equal(h.img.image, data[d.r0:d.r1, d.c0:d.c1])  # every cell, exactly
    rect = h.img.mapRectToParent(h.img.boundingRect())  # where the image lies, in cell coordinates
    assert (rect.x(), rect.y(), rect.width(), rect.height()) == (d.c0, d.r0, d.c1 - d.c0, d.r1 - d.r0)
    assert tuple(np.ravel(h.img.levels)) == (-7.0, 7.0)  # the whole matrix's scale, not the window's
    assert "1 pixel =" not in h.info_text
    h.reset_view()  # zoomed out again: downsampled again
    qtbot.waitUntil(lambda: h.drawn.kr > 1)
    assert h.img.image.shape[0] <= _shown_pixels(h)[1]


def test_masked_cells_are_left_out_of_a_pixel_and_a_new_matrix_never_shows_the_old_image(qtbot, big):
    h, _ = big
    m = np.tril(np.random.default_rng(2).random((N, N), dtype=np.float32))
    masked = np.where(np.tril(np.ones((N, N), bool)), m, -np.inf).astype(np.float32)
    h.set_matrix(masked, diverging=False)
    assert h.pending and h.img.image is None  # cleared until its own image is drawn
    qtbot.waitUntil(lambda: not h.pending)
    d = h.drawn
    _check_pixels(h.img.image, masked, d.kr, d.kc)
    assert np.isnan(h.img.image[0, -1]) and np.isfinite(h.img.image[-1, 0])  # all masked: transparent
    finite = masked[np.isfinite(masked)]
    assert tuple(np.ravel(h.img.levels)) == (float(finite.min()), float(finite.max()))  # −∞ is no level
    assert "−∞" in h.describe(0, N - 1)


def test_the_tokens_table_builds_only_the_rows_it_shows(qtbot):
    from engine.tokenizers import TextTokenizer
    from tokenizers import Tokenizer, models, pre_tokenizers

    from gui.views.base import StepContext
    from gui.views.tokens import COLOURED, TokensView

    words = [f"w{i % 90}" for i in range(N)]
    tok = Tokenizer(models.WordLevel({f"w{i}": i for i in range(90)}, unk_token="w0"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    prompt = " ".join(words)
    enc = tok.encode(prompt)
    store = SimpleNamespace(prompt=prompt, ids=enc.ids, tokens=words, offsets=enc.offsets)
    view = TokensView()
    qtbot.addWidget(view)
    view.resize(600, 700)
    view.show()
    view.show_step(StepContext(store, "tokens", position=1000, tokenizer=TextTokenizer(tok)))
    m = view.table.model()
    assert m.rowCount() == N and m.index(N - 1, 2).data() == str(enc.ids[-1])
    assert len(m._rows) < N // 4  # rows are made when asked for, not 2,000 up front
    a, b = view.coloured
    assert b - a == COLOURED and a <= 1000 < b
    assert f"tokens {a}–{b - 1} coloured" in view.summary.text()
    html = view.text.toHtml()
    assert html.count("background-color:") <= COLOURED + 1 and prompt.split()[0] in html
