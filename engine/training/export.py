"""Write our trained models as Hugging Face checkpoint folders (MarianMTModel, GPT2LMHeadModel,
BertForMaskedLM).

No `transformers` import: config.json is written by hand with the fields those classes read,
and tensor names follow their checkpoints, so both the reference library and our own loader
(engine/loading/converters) read the folder. Exporters are registered by architecture name.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import torch
from safetensors.torch import save_file

from ..config import ModelConfig
from ..errors import InputError
from ..io_utils import atomic_folder
from ..models.components import sinusoidal_table

Exporter = Callable[[dict[str, torch.Tensor], ModelConfig], tuple[dict, dict[str, torch.Tensor]]]
EXPORTERS: dict[str, Exporter] = {}


def exporter(arch: str):
    def deco(fn: Exporter) -> Exporter:
        EXPORTERS[arch] = fn
        return fn

    return deco


def _linear(out: dict, ours: dict, src: str, dst: str) -> None:
    out[f"{dst}.weight"] = ours[f"{src}.weight"]
    out[f"{dst}.bias"] = ours[f"{src}.bias"]


def _norm(out: dict, ours: dict, src: str, dst: str) -> None:
    out[f"{dst}.weight"] = ours[f"{src}.w"]
    out[f"{dst}.bias"] = ours[f"{src}.b"]


@exporter("MarianMTModel")
def marian(ours: dict[str, torch.Tensor], cfg: ModelConfig):
    """Post-norm layers: ln1 → self_attn_layer_norm, ln_cross → encoder_attn_layer_norm,
    ln2 → final_layer_norm. One shared embedding table, tied to the LM head."""
    t: dict[str, torch.Tensor] = {"model.shared.weight": ours["encoder.embed.W_E"]}
    t["final_logits_bias"] = ours["unembed.b_U"][None, :]  # [1, vocab]
    table = sinusoidal_table(cfg.n_ctx, cfg.d_model)  # [n_ctx, d_model]
    t["model.encoder.embed_positions.weight"] = table
    t["model.decoder.embed_positions.weight"] = table.clone()
    for side, n in (("encoder", cfg.n_layers), ("decoder", cfg.n_decoder_layers)):
        for i in range(n):
            o, h = f"{side}.blocks.{i}.", f"model.{side}.layers.{i}."
            for ours_name, hf_name in (("W_Q", "q_proj"), ("W_K", "k_proj"), ("W_V", "v_proj"), ("W_O", "out_proj")):
                _linear(t, ours, o + f"attn.{ours_name}", h + f"self_attn.{hf_name}")
                if side == "decoder":
                    _linear(t, ours, o + f"cross_attn.{ours_name}", h + f"encoder_attn.{hf_name}")
            _norm(t, ours, o + "ln1", h + "self_attn_layer_norm")
            if side == "decoder":
                _norm(t, ours, o + "ln_cross", h + "encoder_attn_layer_norm")
            _linear(t, ours, o + "mlp.W_in", h + "fc1")
            _linear(t, ours, o + "mlp.W_out", h + "fc2")
            _norm(t, ours, o + "ln2", h + "final_layer_norm")
    hf = {
        "architectures": ["MarianMTModel"],
        "model_type": "marian",
        "vocab_size": cfg.vocab_size,
        "decoder_vocab_size": cfg.vocab_size,
        "d_model": cfg.d_model,
        "encoder_layers": cfg.n_layers,
        "decoder_layers": cfg.n_decoder_layers,
        "encoder_attention_heads": cfg.n_heads,
        "decoder_attention_heads": cfg.n_heads,
        "encoder_ffn_dim": cfg.d_mlp,
        "decoder_ffn_dim": cfg.d_mlp,
        "activation_function": cfg.activation,
        "max_position_embeddings": cfg.n_ctx,
        "scale_embedding": cfg.embed_scale != 1.0,
        "share_encoder_decoder_embeddings": True,
        "tie_word_embeddings": True,
        "normalize_before": False,
        "dropout": 0.0,
        "attention_dropout": 0.0,
        "activation_dropout": 0.0,
        "is_encoder_decoder": True,
        "pad_token_id": cfg.pad_token_id,
        "eos_token_id": cfg.eos_token_id,
        "forced_eos_token_id": cfg.eos_token_id,
        "decoder_start_token_id": cfg.decoder_start_token_id,
        "bos_token_id": cfg.bos_token_id,
        "num_beams": 2,
        "max_length": cfg.n_ctx,
    }
    return hf, t


@exporter("GPT2LMHeadModel")
def gpt2(ours: dict[str, torch.Tensor], cfg: ModelConfig):
    """GPT-2 stores Conv1D weights as [in, out]: every matrix is transposed, Q/K/V concatenated."""
    t: dict[str, torch.Tensor] = {
        "transformer.wte.weight": ours["embed.W_E"],
        "transformer.wpe.weight": ours["pos_embed.W_pos"],
        "transformer.ln_f.weight": ours["ln_final.w"],
        "transformer.ln_f.bias": ours["ln_final.b"],
    }
    for i in range(cfg.n_layers):
        o, h = f"blocks.{i}.", f"transformer.h.{i}."
        qkv = [ours[o + f"attn.{n}.weight"] for n in ("W_Q", "W_K", "W_V")]  # each [d, d] (out, in)
        t[h + "attn.c_attn.weight"] = torch.cat(qkv, dim=0).T  # [3d, d] -> [d, 3d]
        t[h + "attn.c_attn.bias"] = torch.cat([ours[o + f"attn.{n}.bias"] for n in ("W_Q", "W_K", "W_V")])
        t[h + "attn.c_proj.weight"] = ours[o + "attn.W_O.weight"].T
        t[h + "attn.c_proj.bias"] = ours[o + "attn.W_O.bias"]
        _norm(t, ours, o + "ln1", h + "ln_1")
        _norm(t, ours, o + "ln2", h + "ln_2")
        t[h + "mlp.c_fc.weight"] = ours[o + "mlp.W_in.weight"].T  # [d_mlp, d] -> [d, d_mlp]
        t[h + "mlp.c_fc.bias"] = ours[o + "mlp.W_in.bias"]
        t[h + "mlp.c_proj.weight"] = ours[o + "mlp.W_out.weight"].T  # [d, d_mlp] -> [d_mlp, d]
        t[h + "mlp.c_proj.bias"] = ours[o + "mlp.W_out.bias"]
    hf = {
        "architectures": ["GPT2LMHeadModel"],
        "model_type": "gpt2",
        "vocab_size": cfg.vocab_size,
        "n_embd": cfg.d_model,
        "n_layer": cfg.n_layers,
        "n_head": cfg.n_heads,
        "n_inner": cfg.d_mlp,
        "n_positions": cfg.n_ctx,
        "n_ctx": cfg.n_ctx,
        "activation_function": cfg.activation,
        "layer_norm_epsilon": cfg.norm_eps,
        "resid_pdrop": 0.0,
        "embd_pdrop": 0.0,
        "attn_pdrop": 0.0,
        "tie_word_embeddings": True,
        "bos_token_id": cfg.bos_token_id,
        "eos_token_id": cfg.eos_token_id,
    }
    return hf, t


@exporter("BertForMaskedLM")
def bert_mlm(ours: dict[str, torch.Tensor], cfg: ModelConfig):
    """The BERT converter's name tables read backwards; the MLM decoder is tied to the word
    embeddings, so only its bias is stored (as cls.predictions.bias, like bert-base-uncased)."""
    from ..loading.converters.bert import LAYER, LAYER_NORMS

    e = "bert.embeddings."
    t: dict[str, torch.Tensor] = {
        e + "word_embeddings.weight": ours["embed.W_E"],
        e + "position_embeddings.weight": ours["pos_embed.W_pos"],
        e + "token_type_embeddings.weight": ours["token_type_embed.weight"],
    }
    _norm(t, ours, "ln_embed", e + "LayerNorm")
    for i in range(cfg.n_layers):
        o, h = f"blocks.{i}.", f"bert.encoder.layer.{i}."
        for ours_name, hf_name in LAYER.items():
            _linear(t, ours, o + ours_name, h + hf_name)
        for ours_name, hf_name in LAYER_NORMS.items():
            _norm(t, ours, o + ours_name, h + hf_name)
    p = "cls.predictions."
    _linear(t, ours, "mlm_head.dense", p + "transform.dense")
    _norm(t, ours, "mlm_head.ln", p + "transform.LayerNorm")
    t[p + "bias"] = ours["unembed.b_U"]
    hf = {
        "architectures": ["BertForMaskedLM"],
        "model_type": "bert",
        "vocab_size": cfg.vocab_size,
        "hidden_size": cfg.d_model,
        "num_hidden_layers": cfg.n_layers,
        "num_attention_heads": cfg.n_heads,
        "intermediate_size": cfg.d_mlp,
        "hidden_act": cfg.activation,
        "max_position_embeddings": cfg.n_ctx,
        "type_vocab_size": cfg.token_types,
        "layer_norm_eps": cfg.norm_eps,
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "tie_word_embeddings": True,
        "pad_token_id": cfg.pad_token_id,
    }
    return hf, t


# what a model folder may hold: retraining over such a folder swaps it whole; anything else is refused
MODEL_FILES = frozenset({"config.json", "model.safetensors", "tokenizer.json", "MODEL_CARD.md",
                         "generation_config.json", "tokenizer_config.json", "special_tokens_map.json"})


def check_out_folder(folder: Path) -> None:
    """Refuse a target that is a file, or a folder holding anything but a model (it is replaced whole)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} exists and is not a folder")
    if folder.is_dir():
        other = sorted(p.name for p in folder.iterdir() if p.name not in MODEL_FILES or not p.is_file())
        if other:
            shown = ", ".join(other[:3]) + (", …" if len(other) > 3 else "")
            raise InputError(f"{folder} holds other files ({shown}); the model folder is replaced whole, "
                             "so give a new or empty folder, or a model folder")


def export(model, folder: Path, tokenizer=None, card: str | None = None,
           extra: dict[str, str] | None = None) -> Path:
    """Write config.json, model.safetensors, tokenizer.json (a `tokenizers.Tokenizer`) and MODEL_CARD.md,
    plus `extra` text files (name -> text; names from MODEL_FILES, e.g. tokenizer_config.json).

    The folder is written beside `folder` and swapped in whole (engine/io_utils.atomic_folder), so
    an interruption leaves the previous model intact.
    """
    cfg: ModelConfig = model.cfg
    ours = {k: v.detach().float().cpu() for k, v in model.state_dict().items()}
    hf, tensors = EXPORTERS[cfg.architecture](ours, cfg)
    folder = Path(folder)
    check_out_folder(folder)
    tensors = {k: v.contiguous().clone() for k, v in tensors.items()}
    unknown = sorted(set(extra or {}) - MODEL_FILES)
    if unknown:
        raise InputError(f"export: {', '.join(unknown)} is not a model-folder file")

    def fill(tmp: Path) -> None:
        (tmp / "config.json").write_text(json.dumps(hf, indent=2) + "\n", encoding="utf-8")
        from safetensors import SafetensorError

        try:
            save_file(tensors, str(tmp / "model.safetensors"), metadata={"format": "pt"})
            if tokenizer is not None:
                tokenizer.save(str(tmp / "tokenizer.json"))
        except SafetensorError as e:  # the Rust writers' I/O errors (a full disk) are not OSErrors
            raise OSError(0, str(e).removeprefix("Error while serializing: ")) from None
        except Exception as e:  # tokenizers raises a bare Exception when its file cannot be written
            if type(e) is not Exception:
                raise
            raise OSError(0, str(e)) from None
        if card is not None:
            (tmp / "MODEL_CARD.md").write_text(card, encoding="utf-8")
        for name, text in (extra or {}).items():
            (tmp / name).write_text(text, encoding="utf-8")

    return atomic_folder(folder, fill)
