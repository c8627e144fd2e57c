"""Every text a widget tree puts on screen, with where it was found: labels, buttons, tool tips,
place-holders, combo items, tab names, dock and window titles, menus and their actions, table
headers, spin-box prefixes and suffixes, and the text items of pyqtgraph charts (titles, axis
labels, annotations) and the rows of tree widgets (the pipeline navigator). Item contents of tables
and lists are data (tokens, numbers) and skipped."""
from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QDockWidget,
                               QGraphicsTextItem, QGraphicsView, QGroupBox, QLabel, QLineEdit, QMainWindow,
                               QMenu, QPlainTextEdit, QSpinBox, QDoubleSpinBox, QTabBar, QTabWidget, QTextEdit,
                               QToolButton, QTreeWidget, QWidget)

TAG = re.compile(r"<[^>]+>")
ENTITY = {"&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'"}


def plain(text: str) -> str:
    """Rich text without its tags and entities; a menu's & accelerator marks removed."""
    text = TAG.sub(" ", text or "")
    for k, v in ENTITY.items():
        text = text.replace(k, v)
    return re.sub(r"&(?=\w)", "", text).strip()


def _headers(view: QAbstractItemView, out: list, where: str) -> None:
    model = view.model()
    if model is None:
        return
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model (a combo box's): no header
        return
    for i in range(columns):
        out.append((f"{where} header {i}", model.headerData(i, Qt.Horizontal, Qt.DisplayRole)))


def _tree_items(tree: QTreeWidget) -> list:
    items, todo = [], [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while todo:
        item = todo.pop()
        items.append(item)
        todo += [item.child(i) for i in range(item.childCount())]
    return items


def _graphics(view: QGraphicsView, out: list, where: str) -> None:
    scene = view.scene()
    if scene is None:
        return
    for item in scene.items():
        if isinstance(item, QGraphicsTextItem):
            out.append((f"{where} chart text", item.toPlainText()))
        label = getattr(item, "labelText", None)  # a pyqtgraph AxisItem's label
        if isinstance(label, str):
            out.append((f"{where} axis label", label + " " + (getattr(item, "labelUnits", "") or "")))


def _menu(menu: QMenu, out: list, where: str) -> None:
    out.append((f"{where} menu", menu.title()))
    for a in menu.actions():
        if a.menu() is not None and a.menu() is not menu:
            _menu(a.menu(), out, f"{where} ▸ {plain(menu.title())}")
        elif not a.isSeparator():
            out.append((f"{where} ▸ {plain(menu.title())} action", a.text()))
            out.append((f"{where} ▸ {plain(menu.title())} tooltip", a.toolTip()))


def _one(w: QWidget, out: list) -> None:
    where = f"{type(w).__name__}({w.objectName() or ''})"
    add = lambda what, text: out.append((f"{where} {what}", text))  # noqa: E731
    if w.toolTip():
        add("tooltip", w.toolTip())
    if w.isWindow() and w.windowTitle():
        add("window title", w.windowTitle())
    if isinstance(w, QLabel):
        add("text", w.text())
    elif isinstance(w, QAbstractButton):
        add("text", w.text())
        if isinstance(w, QToolButton) and w.defaultAction() is not None:
            add("action", w.defaultAction().iconText())
            add("action tooltip", w.defaultAction().toolTip())
    elif isinstance(w, QGroupBox):
        add("title", w.title())
    elif isinstance(w, QLineEdit):
        add("placeholder", w.placeholderText())
    elif isinstance(w, (QPlainTextEdit, QTextEdit)):
        add("placeholder", w.placeholderText())
    elif isinstance(w, QComboBox):
        for i in range(w.count()):
            add(f"item {i}", w.itemText(i))
    elif isinstance(w, QTabBar):
        for i in range(w.count()):
            add(f"tab {i}", w.tabText(i))
            add(f"tab {i} tooltip", w.tabToolTip(i))
    elif isinstance(w, QDockWidget):
        add("title", w.windowTitle())
    elif isinstance(w, QTreeWidget):  # the pipeline navigator: its rows are labels, not data
        for item in _tree_items(w):
            add("row", item.text(0))
    elif isinstance(w, QAbstractItemView):
        _headers(w, out, where)
    elif isinstance(w, QGraphicsView):
        _graphics(w, out, where)
    elif isinstance(w, QMenu):
        _menu(w, out, where)
    if isinstance(w, (QSpinBox, QDoubleSpinBox)):
        add("prefix", w.prefix() + " " + w.suffix())
    if isinstance(w, QAbstractSpinBox):
        add("special", w.specialValueText())


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, plain text) for every non-empty text under `root` (itself included), shown or not:
    a hidden tab or panel is on screen once the user opens it."""
    out: list = []
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        _one(w, out)
    if isinstance(root, QMainWindow):
        for a in root.menuBar().actions():
            if a.menu() is not None:
                _menu(a.menu(), out, "menu bar")
        for a in root.actions():
            out.append(("window action", a.text()))
            out.append(("window action icon text", a.iconText()))
    return [(where, plain(str(t))) for where, t in out if t is not None and plain(str(t))]
