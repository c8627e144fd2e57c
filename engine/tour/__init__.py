"""Tours: a small TOML or JSON file of stops (model, prompt or lab run, view and place, caption in
English and Chinese) and the engine's numbers that fill each caption's placeholders. Qt-free."""
from .captions import fill_caption
from .format import BUILTIN, LANGS, Stop, Tour, load_tour, parse_tour, save_tour, tour_text

__all__ = ["BUILTIN", "LANGS", "Stop", "Tour", "fill_caption", "load_tour", "parse_tour", "save_tour", "tour_text"]
