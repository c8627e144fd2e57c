"""The beam tree as data (no Qt): one node per candidate the engine considered, keyed by its path.

A node's path is the generated token ids from the root (the prompt) to it; its parent is the
path minus the last token. Kept, finished and pruned candidates are all nodes, with the
engine's reason, so the tree's node count is the number of candidates in the StepEvents.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Node:
    path: tuple[int, ...]  # generated ids from the root to this node (inclusive)
    text: str  # the token as text
    logprob: float  # cumulative log-prob including this token
    status: str  # "kept" | "finished" | "pruned"
    reason: str = ""
    score: float | None = None  # length-penalised score of a finished beam
    step: int = 0

    @property
    def parent(self) -> tuple[int, ...]:
        return self.path[:-1]

    def to_json(self) -> dict:
        d = asdict(self)
        d["path"] = list(self.path)
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Node":
        return cls(**{**d, "path": tuple(d["path"])})


@dataclass
class TreeModel:
    nodes: dict[tuple[int, ...], Node] = field(default_factory=dict)
    ranking: list[tuple[list[int], float]] = field(default_factory=list)  # final sequences, best first

    def add(self, nodes: list[Node]) -> list[Node]:
        """Add a step's candidates; returns the ones that are new."""
        new = [n for n in nodes if n.path not in self.nodes]
        for n in nodes:
            self.nodes[n.path] = n
        return new

    def __len__(self) -> int:
        return len(self.nodes)

    def children(self, path: tuple[int, ...]) -> list[Node]:
        return [n for n in self.nodes.values() if n.parent == path]

    def clear(self) -> None:
        self.nodes.clear()
        self.ranking = []


def nodes_of(ev, label) -> list[Node]:
    """A StepEvent's candidates as nodes (`label(id) -> str`)."""
    by_index = {h.index: h for h in ev.hypotheses}
    out = []
    for c in ev.candidates:
        h = by_index.get(c.parent)
        if h is None:
            continue
        out.append(Node(tuple(h.tokens) + (c.token,), label(c.token), float(c.logprob), c.status,
                        c.reason, c.score, ev.step))
    return out
