"""Export any chart (any widget) to PNG or SVG, written atomically.

PNG is a grab of the widget; SVG paints the widget onto a QSvgGenerator, so pyqtgraph items
(bars, curves, text) stay vectors. A view larger than its window (the beam tree) paints all of
itself instead. `add_export_button` gives a chart a small "Export…" button.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QToolButton, QVBoxLayout, QWidget

from engine.errors import InputError
from engine.io_utils import atomic_write
from .i18n import tr

FORMATS = (".png", ".svg")


def _write(tmp: str, buf: QBuffer) -> None:
    """The encoded bytes, written by Python: a full disk is an OSError naming the cause, where
    libpng writing the file itself printed "libpng error: Write Error" on stderr."""
    with open(tmp, "wb") as f:
        f.write(bytes(buf.data()))


def _whole(w: QWidget):
    """A view larger than its window (the beam tree) offers `whole_size()` and `paint_whole(painter)`,
    so an export holds all of it, not the scrolled viewport with its scroll bars."""
    return w if callable(getattr(w, "paint_whole", None)) else None


def _drawn(w: QWidget) -> None:
    """Large heatmaps draw their first image a turn later (gui/views/heatmap.py): draw them now."""
    from .views.heatmap import flush

    flush(w)


def _image(w: QWidget) -> QImage:
    _drawn(w)
    whole = _whole(w)
    if whole is None:
        return w.grab().toImage()
    width, height = whole.whole_size()
    img = QImage(width, height, QImage.Format_ARGB32)
    img.fill(QColor(Qt.white))
    p = QPainter(img)
    try:
        whole.paint_whole(p)
    finally:
        p.end()
    return img


def _png(w: QWidget, tmp: str) -> None:
    buf = QBuffer()
    buf.open(QIODevice.WriteOnly)
    if not _image(w).save(buf, "PNG"):
        raise OSError(0, "Qt could not encode the PNG image")  # atomic_write names the user's path
    _write(tmp, buf)


def _svg(w: QWidget, tmp: str) -> None:
    buf = QBuffer()
    buf.open(QIODevice.WriteOnly)
    _paint_svg(w, buf)
    _write(tmp, buf)


def _paint_svg(w: QWidget, device) -> None:
    _drawn(w)
    whole = _whole(w)
    width, height = whole.whole_size() if whole is not None else (w.width(), w.height())
    gen = QSvgGenerator()
    gen.setOutputDevice(device)
    gen.setSize(QSize(width, height))
    gen.setViewBox(QRect(0, 0, width, height))
    gen.setTitle("Transformer Playground")
    scene = getattr(w, "scene", None)
    if callable(scene) and hasattr(scene(), "prepareForPaint"):
        scene().prepareForPaint()  # what pyqtgraph's own render override does first
    p = QPainter(gen)
    try:
        if whole is not None:
            whole.paint_whole(p)
        else:
            QWidget.render(w, p, QPoint(0, 0))  # the QWidget overload (QGraphicsView's differs)
    finally:
        p.end()
    # a cut or empty SVG is caught by atomic_write's check (engine/file_checks.py)


WRITERS = {".png": _png, ".svg": _svg}


def export_widget(w: QWidget, path: str | Path) -> Path:
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in WRITERS:
        raise InputError(f"export to .png or .svg, not {path.name!r}")
    atomic_write(path, lambda tmp: WRITERS[ext](w, tmp))
    return path


def with_export_button(chart: QWidget, name: str) -> QWidget:
    """Wrap `chart` with an "Export…" button (PNG or SVG by the file name chosen)."""
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(0)
    row = QHBoxLayout()
    row.addStretch(1)
    btn = QToolButton()
    btn.setText(tr("Export…"))
    btn.setToolTip(tr("save the {name} chart as PNG or SVG").format(name=tr(name)))  # the callers mark `name` with N_
    row.addWidget(btn)
    lay.addLayout(row)
    lay.addWidget(chart, 1)

    def ask():
        path, _ = QFileDialog.getSaveFileName(box, tr("Export {name}").format(name=tr(name)), f"{name.replace(' ', '_')}.png",
                                              tr("PNG image (*.png);;SVG image (*.svg)"))
        if path:
            try:
                export_widget(chart, path)
            except (OSError, InputError) as e:
                QMessageBox.warning(box, tr("Export"), tr("Could not export the {name} chart to {path}.\n\n{error}").format(
                    name=tr(name), path=path, error=e))

    btn.clicked.connect(ask)
    box.export_button = btn
    box.chart = chart
    return box
