"""Big models across GPUs, CPU and disk, placed by Hugging Face accelerate (--device-map, --max-memory).

load_placed(name, device_map, max_memory, dtype) -> LoadedModel with `.placement` (the device map,
the pre-flight estimate, the offload folder). Qt-free, like all of engine/."""
from .device_map import STRATEGIES
from .dispatch import Placement, load_placed
from .parse_max_memory import parse_max_memory
from .summary import layer_summary

__all__ = ["STRATEGIES", "Placement", "load_placed", "parse_max_memory", "layer_summary"]
