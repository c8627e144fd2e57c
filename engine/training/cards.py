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


def fills_markdown(fills: dict[str, list[list[tuple[str, float]]]]) -> str:
    """One table per example sentence: rank, candidate, probability for each [MASK].

    tests/engine/test_tiny_bert.py reads these tables back and recomputes them."""
    out = []
    for text, per_mask in fills.items():
        for m, cands in enumerate(per_mask):
            which = f" (mask {m + 1})" if len(per_mask) > 1 else ""
            out.append(f"### `{text}`{which}\n\n| rank | candidate | probability |\n| --- | --- | --- |")
            out += [f"| {r + 1} | {tok} | {p:.4f} |" for r, (tok, p) in enumerate(cands)]
            out.append("")
    return "\n".join(out)


def bert_tokenizer_config(cfg: ModelConfig) -> str:
    """tokenizer_config.json, so transformers' AutoTokenizer (and its fill-mask pipeline) read
    tokenizer.json as a BERT tokenizer with its special tokens."""
    import json

    return json.dumps({
        "tokenizer_class": "BertTokenizerFast", "do_lower_case": True, "model_max_length": cfg.n_ctx,
        "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
        "mask_token": "[MASK]",
    }, indent=2) + "\n"


def bert_card(cfg: ModelConfig, tcfg: TrainConfig, result: TrainResult, m: dict,
              command: str, stamp: dict) -> str:
    acc = m["accuracy"]
    return f"""# tiny-bert

An encoder-only Transformer with BERT's layout (word + learned position + segment embeddings
summed and LayerNorm-ed, post-norm blocks, GELU, the masked-LM head: dense + GELU + LayerNorm and
the unembedding tied to the word embeddings), trained by Transformer Playground's own code on the
masked-language-model objective and saved as a `BertForMaskedLM` checkpoint. It is here so that
masked filling ("the animal didn't [MASK] the street") works offline on a fresh install.

## Data
Generated English sentences (`engine/training/data_bert.py`), {m['train_sentences']:,} for training
({m['train_tokens']:,} tokens with [CLS] and [SEP]):
- sentences in the style of "the animal didn't cross the street because it was too tired": each
  verb goes with the things it takes (cross the street / road / river, climb the tree / hill, open
  the door / box …) and each "because it was too …" with what "it" can be (a tired animal, a wide
  street);
- the tiny GPT's children's stories, cut into sentences;
- the English side of the tiny translator's sentence pairs.

{m['heldout_sentences']} held-out sentences (new generated sentences and stories drawn with another
seed, and one third of the translator's English sentences) are absent from training.

Tokenizer: BERT's uncased WordPiece (lowercase, accents stripped, split on whitespace and
punctuation, `[CLS] … [SEP]`), a `tokenizers` WordPiece model whose vocabulary is every character,
its `##` form and every word of the training sentences, most frequent first (fixed by sorting, so
the ids are the same on every run). Special tokens: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4.

## Architecture
{_arch_table(cfg, m['params'])}

## Training
Masked-LM objective as in BERT: in each sentence 15% of the ordinary tokens are chosen; a chosen
token becomes [MASK] (80%), a random token (10%) or stays (10%); the cross-entropy is taken on the
chosen tokens only (the accuracies below count those tokens).

{_training_table(tcfg, result, stamp)}

CPU time of the training loop: {m['cpu_s'] / 60:.1f} min (the wall time above includes waiting for a
shared CPU).

Exact command (deterministic for a given seed and thread count):

```
{command}
```

## Evaluation
- Held-out masked-token accuracy: **{acc['top1']:.2%}** top-1, {acc['top5']:.2%} top-5
  ({acc['masked']} tokens masked in {acc['sentences']} held-out sentences: 15% of each sentence's
  ordinary tokens, at least one, all replaced by [MASK]).
- Example fills (softmax of the MLM head's logits at the [MASK], top {len(next(iter(m['fills'].values()))[0])}):

{fills_markdown(m['fills'])}
## Limits
It knows only its sentences' small vocabulary ({cfg.vocab_size} tokens) and patterns; any other word
is split into characters. It is a teaching model, not a language model of English.
"""
