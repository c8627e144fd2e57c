"""MODEL_CARD.md text for the bundled models, filled from the run that produced them."""
from __future__ import annotations

from ..config import ModelConfig
from .loop import TrainConfig, TrainResult


def _training_table(tcfg: TrainConfig, result: TrainResult, stamp: dict) -> str:
    final = result.final
    rows = [
        ("steps", f"{result.steps_done}"),
        ("batch size", f"{tcfg.batch_size}"),
        ("optimiser", f"AdamW (β={tcfg.betas}, weight decay {tcfg.weight_decay} on matrices)"),
        ("learning rate", f"{tcfg.lr:g}, linear warm-up {tcfg.warmup} steps, cosine decay to ×{tcfg.min_lr_ratio}"),
        ("gradient clipping", f"{tcfg.clip}"),
        ("label smoothing", f"{tcfg.label_smoothing}"),
        ("seed", f"{tcfg.seed}"),
        ("final training loss (last 50 steps)", f"{final.loss:.4f}" if final else "n/a"),
        ("final token accuracy (last 50 steps)", f"{final.accuracy:.2%}" if final else "n/a"),
        ("training time", f"{result.elapsed_s / 60:.1f} min on {stamp['threads']} CPU thread(s), torch {stamp['torch']}"),
        ("date", stamp["date"]),
    ]
    return "\n".join(f"| {k} | {v} |" for k, v in [("what", "value"), ("---", "---")] + rows)


def _arch_table(cfg: ModelConfig, params: int, layers: str | None = None) -> str:
    """`layers`: how the layers split between stacks, when there is more than one."""
    rows = [
        ("parameters", f"{params:,}"),
        ("vocabulary", f"{cfg.vocab_size}"),
        ("d_model", f"{cfg.d_model}"),
        ("layers", layers or f"{cfg.n_layers}"),
        ("heads", f"{cfg.n_heads} (d_head {cfg.d_head})"),
        ("feed-forward width", f"{cfg.d_mlp}, {cfg.activation}"),
        ("positions", f"{cfg.positional}, up to {cfg.n_ctx}"),
        ("normalisation", f"{cfg.norm_placement}-norm LayerNorm" + (", final LayerNorm" if cfg.final_norm else "")),
    ]
    return "\n".join(f"| {k} | {v} |" for k, v in [("what", "value"), ("---", "---")] + rows)


def translator_card(cfg: ModelConfig, tcfg: TrainConfig, result: TrainResult, m: dict,
                    command: str, stamp: dict) -> str:
    seeds = "\n".join(
        f"- `{s}` → greedy: '{m['seeds_greedy'][s]}'; beam search, width 2, both beams best first: "
        + ", ".join(f"'{b}'" for b in beams)
        for s, beams in m["seeds_beam2"].items()
    )
    misses = "\n".join(f"- `{s}` → `{got}` (expected `{tgt}`)" for s, tgt, got in m["misses"]) or "- none"
    return f"""# tiny-translator

The original Transformer (Vaswani et al. 2017) in miniature: an encoder-decoder with sinusoidal
positions, post-norm Add & Norm, cross-attention and {cfg.n_heads} heads, translating French and
Chinese into English. Trained by Transformer Playground's own code (`engine/training`) on a corpus
the code generates, and saved as a `MarianMTModel` checkpoint so the reference library
(`transformers`) loads it too.

## Data
`engine/training/data_translation.py` enumerates a closed grammar: pronouns with verb agreement
(je suis / tu es / il est …, 我是 / 你是 …), professions (je suis étudiant → i am a student,
我是一个学生 → i am a student), adjectives of people, possession with numbers, measure words and
adjectives that move (j'ai une voiture rouge → i have a red car; 我有一辆红色的车), generic
plurals with "like", "the … is …", negation (ne … pas, 不, 没有) and fixed phrases
(merci → thanks, 谢谢 → thanks, bonjour → hello …). {m['train_pairs']} pairs train the model;
{m['heldout']} pairs (half French, half Chinese, chosen by a seeded shuffle) are held out and
never seen in training. The example sentences (SEED_PAIRS) and fixed phrases are always in training.

Tokenizer: a `tokenizers` WordPiece model whose vocabulary is every word of the training pairs
(as the library's BERT normaliser and pre-tokenizer cut them), plus every character and its
`##` form as a fallback for unseen words; one vocabulary shared by French, Chinese and English
(Marian shares the embedding table). It is built by sorting, not with the library's
WordPieceTrainer, whose tie-breaking changes from run to run and would make retraining
irreproducible. The normaliser lower-cases, keeps accents and puts spaces around CJK
characters, so each Chinese character is one token. The post-processor appends `</s>`. `<pad>` (id {cfg.pad_token_id}) is also the
decoder start token; `</s>` is id {cfg.eos_token_id}.

## Architecture
{_arch_table(cfg, m['params'], f'{cfg.n_layers} encoder + {cfg.n_decoder_layers} decoder')}

Embeddings are multiplied by √d_model; the output layer is the shared embedding table plus a
bias (`final_logits_bias`).

## Training
{_training_table(tcfg, result, stamp)}

Exact command (deterministic for a given seed and thread count):

```
{command}
```

## Evaluation
- Greedy exact match on the {m['heldout']} held-out pairs: **{m['exact_match']:.2%}**
  (French {m['exact_match_by_lang']['fr']:.2%}, Chinese {m['exact_match_by_lang']['zh']:.2%}).
{seeds}

First misses:
{misses}

## Limits
It knows only its grammar's {cfg.vocab_size} tokens; anything else comes out as nonsense.
"""


def gpt_card(cfg: ModelConfig, tcfg: TrainConfig, result: TrainResult, m: dict,
             command: str, stamp: dict) -> str:
    return f"""# tiny-gpt

A decoder-only Transformer with GPT-2's layout (learned positions, pre-norm, final LayerNorm,
gelu_new, tied unembedding), trained by Transformer Playground's own code and saved as a
`GPT2LMHeadModel` checkpoint.

## Data
Generated short children's stories (`engine/training/data_gpt.py`): "Once upon a time, there was
a little dog named Tom. …". Generated rather than taken from a public-domain book because it is
identical on every machine, needs no extra package or download, and its small regular
vocabulary is learned by a model this small in minutes, so the next-token probabilities in the
app are easy to read. {m['train_tokens']:,} training tokens; {m['heldout_tokens']:,} held-out
tokens from stories drawn with another seed and absent from training.

Tokenizer: byte-level BPE (GPT-2's scheme) trained with the `tokenizers` library on the training
stories; `<|endoftext|>` (id {cfg.eos_token_id}) separates stories.

## Architecture
{_arch_table(cfg, m['params'])}

## Training
{_training_table(tcfg, result, stamp)}

Exact command (deterministic for a given seed and thread count):

```
{command}
```

## Evaluation
- Held-out perplexity: **{m['perplexity']:.3f}** (windows of 64 tokens).
- Greedy continuation of "Once upon a time, there was a":
  > {m['sample']}

## Limits
It writes only in its stories' style and vocabulary.
"""
