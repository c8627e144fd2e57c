"""Small random Llama reference models built offline with `transformers` (test-only)."""
from __future__ import annotations

from pathlib import Path

import torch

from .reference import perturb, save

VOCAB = 97


def llama_config(**kw):
    from transformers import LlamaConfig

    base = dict(
        vocab_size=VOCAB, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
        rope_theta=5000.0, rms_norm_eps=1e-5, tie_word_embeddings=False,
        attn_implementation="eager",
    )
    base.update(kw)
    return LlamaConfig(**base)


def llama(folder: Path | None = None, seed: int = 0, **kw):
    """A perturbed random LlamaForCausalLM (GQA 4 heads / 2 kv heads, RoPE); saved if folder is given."""
    from transformers import LlamaForCausalLM

    torch.manual_seed(seed)
    m = LlamaForCausalLM(llama_config(**kw)).eval()
    perturb(m, seed=seed, scale=0.05)
    if folder is not None:
        save(m, folder)
    return m


# ---- tiny GGUF files written the way llama.cpp's convert_hf_to_gguf.py writes them ----------
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
BYTE_MERGES = [
    "Ġ t", "h e", "Ġt he", "i n", "Ġ a", "a n", "Ġa n", "Ġan d", "e r", "Ġ w", "o r", "Ġw or",
    "l d", "Ġwor ld", "Ġ Ġ", "ĠĠ Ġ", "Ċ Ċ", "H e", "l l", "He ll", "Hell o", "Ġ i", "Ġi s",
    "ä ¸", "ð Ł", "Ġ Â", "Ġ c", "Ġc a", "Ġca p", "i t", "a l", "Ġ F", "r a", "n c", "Ġ o", "Ġo f",
]
SP_PIECES = ["▁", "▁t", "he", "▁the", "▁a", "in", "▁in", "▁is", "er", "▁w", "or", "ld", "▁wor", "▁world",
             "▁▁", "ll", "He", "Hello", "▁H"] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + list("HWT.,!?")


def gpt2_alphabet() -> list[str]:
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    return sorted(bytes_to_unicode().values())


def byte_level_vocab():
    """(tokens, token types, merges): 3 control tokens, the 256 byte symbols, one token per merge,
    and a user-defined '<think>'."""
    tokens = SPECIALS + gpt2_alphabet()
    for m in BYTE_MERGES:
        tokens.append(m.replace(" ", ""))
    tokens.append("<think>")
    types = [3] * len(SPECIALS) + [1] * (len(tokens) - len(SPECIALS) - 1) + [4]
    return tokens, types, list(BYTE_MERGES)


def sentencepiece_vocab():
    """(tokens, token types, scores): <unk>, <s>, </s>, the 256 byte tokens, then pieces by score."""
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)] + SP_PIECES
    types = [2, 3, 3] + [6] * 256 + [1] * len(SP_PIECES)
    scores = [0.0] * 259 + [-float(i) for i in range(len(SP_PIECES))]
    return tokens, types, scores


def llamacpp_permute(w: torch.Tensor, n_head: int) -> torch.Tensor:
    """llama.cpp's `LlamaModel.permute` (convert_hf_to_gguf.py): halves -> interleaved pairs."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


GGUF_NAMES = {
    "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down", "input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm",
}


def _gguf_name(hf_name: str) -> str:
    top = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
           "lm_head.weight": "output.weight"}
    if hf_name in top:
        return top[hf_name]
    _, _, layer, rest = hf_name.split(".", 3)
    module, kind = rest.rsplit(".", 1)
    return f"blk.{layer}.{GGUF_NAMES[module]}.{kind}"


def write_gguf(model, path: Path, tokenizer: str = "gpt2", quant: dict | None = None,
               arch: str = "llama", pre: str = "smollm", extra=None, override: dict | None = None) -> Path:
    """Write a LlamaForCausalLM as llama.cpp would. quant: {gguf name substring: GGMLQuantizationType}
    for 2-d tensors (others stay F32); extra(writer) adds more metadata; override: {writer method
    name: value} replaces a hyper-parameter (to write inconsistent files)."""
    import gguf

    c = model.config
    w = gguf.GGUFWriter(str(path), arch)
    hyper = {
        "add_name": "tiny test llama",
        "add_block_count": c.num_hidden_layers,
        "add_context_length": c.max_position_embeddings,
        "add_embedding_length": c.hidden_size,
        "add_feed_forward_length": c.intermediate_size,
        "add_head_count": c.num_attention_heads,
        "add_head_count_kv": c.num_key_value_heads,
        "add_rope_dimension_count": c.head_dim,
        "add_rope_freq_base": c.rope_parameters["rope_theta"],
        "add_layer_norm_rms_eps": c.rms_norm_eps,
        "add_vocab_size": c.vocab_size,
    }
    hyper.update(override or {})
    for method, value in hyper.items():
        getattr(w, method)(value)
    if tokenizer == "gpt2":
        tokens, types, merges = byte_level_vocab()
        w.add_tokenizer_model("gpt2")
        w.add_tokenizer_pre(pre)
        w.add_token_list(tokens)
        w.add_token_types(types)
        w.add_token_merges(merges)
        w.add_bos_token_id(1)
        w.add_eos_token_id(2)
        w.add_add_bos_token(False)
    else:
        tokens, types, scores = sentencepiece_vocab()
        w.add_tokenizer_model("llama")
        w.add_tokenizer_pre("default")
        w.add_token_list(tokens)
        w.add_token_types(types)
        w.add_token_scores(scores)
        w.add_bos_token_id(1)
        w.add_eos_token_id(2)
        w.add_unk_token_id(0)
    if extra is not None:
        extra(w)
    for name, t in model.state_dict().items():
        if name == "lm_head.weight" and c.tie_word_embeddings:
            continue
        t = t.detach().float()
        if ".q_proj." in name:
            t = llamacpp_permute(t, c.num_attention_heads)
        elif ".k_proj." in name:
            t = llamacpp_permute(t, c.num_key_value_heads)
        g = _gguf_name(name)
        qtype = next((q for key, q in (quant or {}).items() if key in g), None) if t.dim() == 2 else None
        if qtype is None:
            w.add_tensor(g, t.numpy())
        else:
            w.add_tensor(g, gguf.quants.quantize(t.numpy(), qtype), raw_dtype=qtype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


# ---- text to tokenize --------------------------------------------------------------------
SAMPLES = [
    "Hello world", "The capital of France is", "the", " ", "  ", "\t", "\n", "\r\n", "   \n\n ", "123",
    "3.14159", "1,000,000", "½", "²", "٣٤", "①", "Ⅻ", "😀", "👩‍👩‍👧", "👍🏽", "🇫🇷", "中文", "我是一个学生",
    "日本語", "한국어", "مرحبا", "नमस्ते", "é", "e\u0301", "I'm", "don't", "<|im_start|>", "<|endoftext|>",
    "<think>", "user", "\u200b", "ß", "İ", "ﬁ", "```py\nx = 1\n```", "$", "—", "…", "<s>", "</s>", "<unk>",
    "je suis étudiant", "The animal didn't cross the street because it was too tired", "\x00", "\x7f",
]


def varied_strings(n: int, seed: int = 0) -> list[str]:
    """Strings mixing scripts, emoji, digits, control characters and whitespace runs, plus random
    code points from every plane (surrogates excepted: they cannot be encoded)."""
    import random

    rng = random.Random(seed)

    def code_point() -> str:
        while True:
            c = rng.choice((rng.randrange(0x20, 0x800), rng.randrange(0x800, 0x10000), rng.randrange(0x10000, 0x110000)))
            if not 0xD800 <= c <= 0xDFFF:
                return chr(c)

    out = list(SAMPLES)
    while len(out) < n:
        parts = []
        for _ in range(rng.randint(1, 8)):
            if rng.random() < 0.65:
                parts.append(rng.choice(SAMPLES))
            elif rng.random() < 0.5:
                parts.append(rng.choice([" ", "  ", "\t", "\n", " \n ", "    "]) * rng.randint(1, 3))
            else:
                parts.append("".join(code_point() for _ in range(rng.randint(1, 4))))
        out.append("".join(p if rng.random() < 0.5 else " " + p for p in parts))
    return out[:n]


def llamacpp_smollm_pre_tokenizer():
    """llama.cpp's `smollm` rule written as its two regexes: every \\p{N} alone, then GPT-2's split."""
    from tokenizers import Regex, pre_tokenizers

    return pre_tokenizers.Sequence(
        [pre_tokenizers.Split(Regex(r"\p{N}"), behavior="isolated"),
         pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)]
    )
