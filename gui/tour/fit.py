"""Is any text clipped? Every visible label must get the room its text needs (presenter tests)."""
from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QTableView, QWidget


def clipped_texts(root: QWidget) -> list[str]:
    """'text (needs W×H, has w×h)' for each visible label or button whose text does not fit, or
    that lies partly outside `root`, and each table column narrower than its cells' text."""
    out = []
    for t in root.findChildren(QTableView):
        if t.isVisibleTo(root) and t.model() is not None:
            for c in range(t.model().columnCount()):
                if not t.isColumnHidden(c) and t.columnWidth(c) < t.sizeHintForColumn(c):
                    out.append(f"table column {c} (needs {t.sizeHintForColumn(c)} px, has {t.columnWidth(c)})")
    for w in [root, *root.findChildren(QWidget)]:
        if not isinstance(w, (QLabel, QAbstractButton)) or not w.isVisibleTo(root) or not w.text():
            continue
        if isinstance(w, QLabel) and w.wordWrap():
            need_w, need_h = 0, w.heightForWidth(w.width())
        else:
            hint = w.sizeHint()
            need_w, need_h = hint.width(), hint.height()
        if need_w > w.width() or need_h > w.height() + 1:
            out.append(f"{w.text()[:60]!r} (needs {need_w}×{need_h}, has {w.width()}×{w.height()})")
            continue
        top_left = w.mapTo(root, w.rect().topLeft())
        bottom_right = w.mapTo(root, w.rect().bottomRight())
        if not (root.rect().contains(top_left) and root.rect().contains(bottom_right)):
            out.append(f"{w.text()[:60]!r} (outside the window)")
    return out
