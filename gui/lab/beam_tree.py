"""The beam tree, growing a column per step: a node per candidate with its token and cumulative
log-prob; kept (blue), finished (green, with its length-penalised score) and pruned (grey,
dashed) are styled apart and the reason is in the tooltip; the final beams are ranked #1, #2 ….

Layout is incremental: a step's column is placed under its parents' rows, earlier columns
never move, so adding a step only adds items. Clicking a node emits its path.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QGraphicsRectItem, QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView,
                               QLabel, QVBoxLayout, QWidget)

from .prob_bars import short
from .tree_model import Node, TreeModel
from .. import theme
from ..i18n import N_, tr

DX, DY, W, H = 118, 40, 100, 32
STYLE = {  # status -> (fill, border, dashed)
    "kept": (QColor(225, 236, 255), QColor(30, 90, 200), False),
    "finished": (QColor(215, 245, 215), QColor(20, 140, 40), False),
    "pruned": (QColor(240, 240, 240), QColor(160, 160, 160), True),
    "root": (QColor(255, 245, 220), QColor(200, 130, 20), False),
}


STATUS = {"kept": N_("kept"), "finished": N_("finished"), "pruned": N_("pruned")}


class NodeItem(QGraphicsRectItem):
    def __init__(self, node: Node | None, x: float, y: float, text: str):
        super().__init__(QRectF(0, 0, W, H))
        self.node = node
        self.setPos(x, y)
        fill, border, dashed = STYLE[node.status if node else "root"]
        pen = QPen(border, 1.6)
        if dashed:
            pen.setStyle(Qt.DashLine)
        self.setPen(pen)
        self.setBrush(QBrush(fill))
        label = QGraphicsSimpleTextItem(text, self)
        label.setFont(QFont("DejaVu Sans", 8))
        label.setBrush(QColor(90, 90, 90) if node and node.status == "pruned" else QColor(20, 20, 20))
        label.setPos(4, 2)
        if node:
            tip = f"{tr(STATUS.get(node.status, node.status))}: {node.reason or '—'}\nlog p = {node.logprob:.4f}"
            if node.score is not None:
                tip += tr("\nscore = {score:.4f}").format(score=node.score)
            self.setToolTip(tip)
        self.setCursor(Qt.PointingHandCursor)


class _TreeView(QGraphicsView):
    """Reports the node under a click (the NodeItem itself, or one of its children)."""

    def __init__(self, scene, on_node):
        super().__init__(scene)
        self.on_node = on_node

    def mousePressEvent(self, ev) -> None:
        item = self.itemAt(ev.position().toPoint())
        while item is not None and not isinstance(item, NodeItem):
            item = item.parentItem()
        if item is not None and item.node is not None:
            self.on_node(item.node)
        super().mousePressEvent(ev)


class BeamTree(QWidget):
    nodeClicked = Signal(object)  # Node

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.scene = QGraphicsScene(self)
        self.view = _TreeView(self.scene, self.nodeClicked.emit)
        self.view.setRenderHint(QPainter.Antialiasing)
        self.view.setBackgroundBrush(QColor(theme.chart_background()))
        theme.notifier().changed.connect(self._themed)  # a bound slot: disconnected when the tree goes
        self.view.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.ranking = QLabel(tr("beam search: the tree grows here (nodes = every candidate considered)"))
        self.ranking.setWordWrap(True)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.ranking)
        self.model = TreeModel()
        self.items: dict[tuple[int, ...], NodeItem] = {}
        self.reset("")

    def _themed(self, t) -> None:
        self.view.setBackgroundBrush(QColor(t.base))

    def reset(self, root_text: str) -> None:
        self.scene.clear()
        self.model.clear()
        self.items = {(): NodeItem(None, 0, 0, short(root_text or tr("prompt"), 16))}
        self.scene.addItem(self.items[()])
        self.ranking.setText(tr("beam search: the tree grows here (nodes = every candidate considered)"))

    def add_nodes(self, nodes: list[Node]) -> None:
        """Place a step's candidates under their parents (sorted by parent row, then log-prob)."""
        new = [n for n in self.model.add(nodes) if n.parent in self.items]
        if not new:
            return
        py = lambda n: self.items[n.parent].pos().y()  # noqa: E731
        new.sort(key=lambda n: (py(n), -n.logprob))
        col_y = 0.0
        for n in new:
            x = len(n.path) * DX
            y = max(col_y, py(n))
            it = NodeItem(n, x, y, f"{short(n.text, 12)}\n{n.logprob:.3f}")
            self.scene.addItem(it)
            parent = self.items[n.parent]
            p0 = parent.pos() + parent.rect().center()
            pen = QPen(QColor(170, 170, 170) if n.status == "pruned" else QColor(60, 60, 60), 1)
            line = self.scene.addLine(p0.x() + W / 2, p0.y(), x, y + H / 2, pen)
            line.setZValue(-1)
            self.items[n.path] = it
            col_y = y + DY
        self.view.ensureVisible(self.items[new[-1].path])

    def set_ranking(self, seqs: list[tuple[list[int], float]], text) -> None:
        """Mark the final beams #1.. on their nodes and list them; `text(ids) -> str`."""
        self.model.ranking = [(list(s), float(sc)) for s, sc in seqs]
        rows = []
        for r, (ids, score) in enumerate(seqs, 1):
            it = self.items.get(tuple(ids))
            if it is not None:
                badge = QGraphicsSimpleTextItem(f"#{r}", it)
                badge.setBrush(QColor(20, 120, 30))
                badge.setFont(QFont("DejaVu Sans", 9, QFont.Bold))
                badge.setPos(W + 3, 8)
            rows.append(tr("#{rank} score {score:.4f}: {text}").format(rank=r, score=score, text=text(ids)))
        self.ranking.setText(tr("final beams, best first — ") + " | ".join(rows))

    def node_count(self) -> int:
        return len(self.model)

    MARGIN = 8

    def _ranking_height(self, width: int) -> int:
        return self.ranking.fontMetrics().boundingRect(
            QRect(0, 0, width, 10_000), Qt.TextWordWrap, self.ranking.text()).height()

    def whole_size(self) -> tuple[int, int]:
        """The size of an image of the whole tree at 1:1 with the ranking under it (export):
        never smaller than the widget itself (`tplay render --size` sets that)."""
        box = self.scene.itemsBoundingRect()
        w = max(self.width(), int(box.width()) + 2 * self.MARGIN)
        h = int(box.height()) + 3 * self.MARGIN + self._ranking_height(w - 2 * self.MARGIN)
        return w, max(self.height(), h)

    def paint_whole(self, p: QPainter) -> None:
        """Paint every node and edge (not only the scrolled viewport), then the ranking text."""
        box = self.scene.itemsBoundingRect()
        m = self.MARGIN
        p.setRenderHint(QPainter.Antialiasing)
        self.scene.render(p, QRectF(m, m, box.width(), box.height()), box)
        w, _ = self.whole_size()
        p.setPen(QColor(20, 20, 20))
        p.setFont(self.ranking.font())
        top = int(box.height()) + 2 * m
        p.drawText(QRect(m, top, w - 2 * m, self._ranking_height(w - 2 * m)), Qt.TextWordWrap, self.ranking.text())
