"""Strategy registry: name -> generator function(Generation) -> StepEvents."""
from __future__ import annotations

from .beam import beam_search
from .greedy import greedy
from .sample import sample

STRATEGIES = {"greedy": greedy, "sample": sample, "beam": beam_search}
