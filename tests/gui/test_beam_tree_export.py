"""The beam tree exports whole (every node, no scroll bars) to PNG and SVG, from a small window."""
from __future__ import annotations

import re

from PySide6.QtGui import QImage

from gui.export import export_widget
from gui.lab.beam_tree import BeamTree
from gui.lab.tree_model import Node


def _grown_tree(qtbot, steps: int = 12, width: int = 3) -> BeamTree:
    tree = BeamTree()
    qtbot.addWidget(tree)
    tree.resize(240, 160)  # far smaller than the tree: the viewport scrolls
    tree.show()
    tree.reset("a prompt")
    paths = [()]
    for step in range(steps):
        nodes = [Node(p + (k,), f"t{step}.{k}", -float(step + k), "kept", step=step)
                 for p in paths for k in range(width)]
        tree.add_nodes(nodes)
        paths = [n.path for n in nodes[:width]]
    tree.set_ranking([(list(paths[0]), -1.0)], lambda ids: " ".join(map(str, ids)))
    return tree


def test_png_holds_the_whole_tree_not_the_viewport(qtbot, tmp_path):
    tree = _grown_tree(qtbot)
    out = export_widget(tree, tmp_path / "tree.png")
    img = QImage(str(out))
    box = tree.scene.itemsBoundingRect()
    assert img.width() >= box.width() and img.height() >= box.height()
    assert img.width() > 3 * tree.width() and img.height() > tree.height()


def test_svg_is_written_and_names_the_last_column(qtbot, tmp_path):
    tree = _grown_tree(qtbot)
    out = export_widget(tree, tmp_path / "tree.svg")
    svg = out.read_text()
    assert "t11.0" in svg  # a node of the last step, far outside the 240 px viewport
    _, _, width, height = map(float, re.search(r'viewBox="([\d. ]+)"', svg).group(1).split())
    box = tree.scene.itemsBoundingRect()
    assert width >= box.width() and height >= box.height()
