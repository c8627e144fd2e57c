"""Sentence embeddings of models packaged for sentence-transformers (all-MiniLM-L6-v2 …).

Such a folder says in modules.json what follows the Transformer: a Pooling module (its
config, e.g. 1_Pooling/config.json, names the mode) and maybe a Normalize module. The model's
own output is the final hidden state [pos, d_model]; the sentence embedding is this module's
pooling of it, computed exactly as sentence-transformers defines it:
  mean: Σ_t mask_t · h_t / max(Σ_t mask_t, 1e-9)      cls: h_0      max: max_t h_t (padding at −1e9)
  mean_sqrt_len: Σ_t mask_t · h_t / √(Σ_t mask_t)
  Normalize: e / max(‖e‖₂, 1e-12)
A module we do not implement (Dense, weighted-mean, last-token pooling, several modes at once)
is refused by name, so no wrong embedding is ever shown.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from .errors import ModelLoadError

ST = "sentence_transformers.models."
MODES = ("cls", "mean", "max", "mean_sqrt_len")  # pooling_mode_{mode}_token(s) in the config


@dataclass(frozen=True)
class Pooling:
    mode: str  # one of MODES
    normalize: bool  # a Normalize module follows the pooling
    source: str  # where it was read, for the view's label ("modules.json + 1_Pooling/config.json")

    def describe(self) -> str:
        what = {"mean": "mean over the tokens", "cls": "the [CLS] (first) token's vector",
                "max": "the maximum over the tokens, per dimension",
                "mean_sqrt_len": "sum over the tokens ÷ √(number of tokens)"}[self.mode]
        return what + (", then L2-normalised" if self.normalize else "")


def read_pooling(folder: Path | str) -> Pooling | None:
    """The folder's sentence-transformers pooling, or None when it is not such a package.

    Raises ModelLoadError naming a module or mode that is listed but not implemented."""
    folder = Path(folder)
    modules_file = folder / "modules.json"
    if not modules_file.is_file():
        return None
    try:
        modules = json.loads(modules_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelLoadError(f"{modules_file} cannot be read: {e}") from None
    kinds = [str(m.get("type", "")).removeprefix(ST) for m in modules]
    pooling = [m for m in modules if str(m.get("type", "")).removeprefix(ST) == "Pooling"]
    if not pooling:
        return None
    other = [k for k in kinds if k not in ("Transformer", "Pooling", "Normalize")]
    if other:
        raise ModelLoadError(f"sentence-transformers module {other[0]} (in modules.json) is not supported, "
                             "so no sentence embedding is computed")
    cfg_file = folder / pooling[0].get("path", "") / "config.json"
    try:
        cfg = json.loads(cfg_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelLoadError(f"{cfg_file} cannot be read: {e}") from None
    on = sorted(k for k, v in cfg.items() if k.startswith("pooling_mode") and v)
    modes = [m for m in MODES if cfg.get(f"pooling_mode_{m}_token") or cfg.get(f"pooling_mode_{m}_tokens")]
    if len(on) != 1 or len(modes) != 1:
        raise ModelLoadError(f"pooling {', '.join(on) or 'none'} (in {cfg_file.parent.name}/config.json) is not "
                             "supported: exactly one of cls, mean, max, mean_sqrt_len pooling is")
    rel = cfg_file.relative_to(folder).as_posix()
    return Pooling(modes[0], "Normalize" in kinds, f"modules.json + {rel}")


def pool(hidden: torch.Tensor, attention_mask: torch.Tensor | None, pooling: Pooling) -> torch.Tensor:
    """hidden [batch, pos, d_model], mask [batch, pos] (1 = token) -> embeddings [batch, d_model]."""
    h = hidden.float()
    mask = (torch.ones(h.shape[:2], device=h.device) if attention_mask is None
            else attention_mask.to(h.device).float())  # [batch, pos]
    m = mask[..., None]  # [batch, pos, 1]
    if pooling.mode == "cls":
        e = h[:, 0]
    elif pooling.mode == "max":
        e = h.masked_fill(m == 0, -1e9).max(dim=1).values
    else:
        total, n = (h * m).sum(1), m.sum(1)  # [batch, d_model], [batch, 1]
        e = total / n.clamp(min=1e-9) if pooling.mode == "mean" else total / n.sqrt()
    return F.normalize(e, p=2, dim=1) if pooling.normalize else e


def cosine(a: torch.Tensor, b: torch.Tensor) -> float:
    """Cosine similarity of two embeddings [d]."""
    return float(F.cosine_similarity(a.float()[None], b.float()[None], dim=1)[0])


@dataclass
class Comparison:
    texts: tuple[str, str]
    tokens: tuple[int, int]  # how many tokens each text has
    embeddings: tuple[torch.Tensor, torch.Tensor]  # [d_model] each
    similarity: float


def compare(lm, text_a: str, text_b: str, pooling: Pooling, cancel=None) -> Comparison:
    """Embed two texts (one forward pass each, as sentence-transformers would one at a time) and
    return both embeddings and their cosine similarity."""
    from .runner import run

    embs, lens = [], []
    for text in (text_a, text_b):
        ids = lm.tokenizer.encode(text).ids
        hidden = run(lm.model, ids, capture=None, cancel=cancel).output  # [1, pos, d_model]
        embs.append(pool(hidden, None, pooling)[0].cpu())
        lens.append(len(ids))
    return Comparison((text_a, text_b), (lens[0], lens[1]), (embs[0], embs[1]), cosine(embs[0], embs[1]))


def pooling_of(lm) -> Pooling | None:
    """The loaded model's sentence-embedding pooling (None for a model not packaged that way)."""
    path = getattr(getattr(lm, "ref", None), "path", None)
    if path is None or not Path(path).is_dir() or lm.cfg.lm_head != "none":
        return None
    return read_pooling(path)


def final_hidden_name(model) -> str:
    """The hook that holds a headless encoder's output, the final hidden state [batch, pos, d_model]."""
    if getattr(model, "ln_final", None) is not None:
        return "ln_final.hook_normalized"
    return f"blocks.{model.cfg.n_layers - 1}.hook_resid_post"
