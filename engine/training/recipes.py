"""The bundled models' recipes: data, tokenizer, model, training, evaluation, export.

`tplay train translator|gpt|bert` and the shipped folders in resources/models come from these
functions, so the model cards' numbers are what a user reproduces.
"""
from __future__ import annotations

import datetime
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import torch

from ..tokenizers import TextTokenizer
from . import cards, data_bert, data_gpt, data_translation
from .evaluate import beam_search, exact_match, greedy_batch, masked_accuracy, perplexity
from .export import export
from .loop import Callback, Control, TrainConfig, Trainer, TrainResult
from .setup import bert_config, gpt_config, new_model, translator_config
from .tasks import LanguageModelTask, MaskedLMTask, Seq2SeqTask
from .tokenizer_train import (BERT_SPECIALS, ENDOFTEXT, EOS, PAD, train_bert_tokenizer, train_gpt_tokenizer,
                              train_translator_tokenizer)

Log = Callable[[str], None]


@dataclass
class Outcome:
    folder: Path
    result: TrainResult
    metrics: dict = field(default_factory=dict)


def translator_train_config(steps: int, seed: int, threads: int | None) -> TrainConfig:
    return TrainConfig(steps=steps, batch_size=64, lr=1e-3, warmup=100, label_smoothing=0.1,
                       seed=seed, every=50, threads=threads)


def gpt_train_config(steps: int, seed: int, threads: int | None) -> TrainConfig:
    return TrainConfig(steps=steps, batch_size=16, lr=2e-3, warmup=100, label_smoothing=0.0,
                       betas=(0.9, 0.95), seed=seed, every=50, threads=threads)


def bert_train_config(steps: int, seed: int, threads: int | None) -> TrainConfig:
    return TrainConfig(steps=steps, batch_size=64, lr=1e-3, warmup=200, label_smoothing=0.0,
                       betas=(0.9, 0.98), seed=seed, every=50, threads=threads)


TRANSLATOR_STEPS = 1500
GPT_STEPS = 1500
GPT_WINDOW = 64
BERT_STEPS = 3000
# the sentences the model card shows fills for (and the probe drawn in the training view)
BERT_EXAMPLES = (
    "the animal didn't [MASK] the street.",
    "the animal didn't [MASK] the street because it was too tired.",
    "the animal didn't cross the street because it was too [MASK].",
    "the dog could not [MASK] the tree because it was too high.",
    "once upon a time, there was a little [MASK] named tom.",
    "you like yellow [MASK]",
)
BERT_TOP = 5


def train_translator(out: Path, steps: int = TRANSLATOR_STEPS, seed: int = 0, threads: int | None = None,
                     callbacks: list[Callback] = (), control: Control | None = None,
                     log: Log = print, command: str = "") -> Outcome:
    split = data_translation.split_corpus()
    log(f"corpus: {len(split.train)} training pairs, {len(split.heldout)} held out")
    tok = train_translator_tokenizer([t for p in split.train for t in (p.src, p.tgt)])
    pad, eos = tok.token_to_id(PAD), tok.token_to_id(EOS)
    enc = lambda s: tok.encode(s).ids  # noqa: E731  (source and target both end in </s>)
    pairs = [(enc(p.src), enc(p.tgt)) for p in split.train]
    cfg = translator_config(tok.get_vocab_size(), pad, eos)
    model = new_model(cfg, seed, std=0.02, embed_std=cfg.d_model ** -0.5)
    src, tgt = data_translation.SEED_PAIRS[0]
    task = Seq2SeqTask(pairs, pad, pad, probe_pair=(enc(src), enc(tgt)))
    tcfg = translator_train_config(steps, seed, threads)
    log(f"model: {model.n_params():,} parameters, vocabulary {cfg.vocab_size}; training {steps} steps")
    result = Trainer(model, task, tcfg, list(callbacks), control).run()
    text_tok = TextTokenizer(tok)
    em, misses = exact_match(model, text_tok, split.heldout)
    by_lang = {
        lang: exact_match(model, text_tok, [p for p in split.heldout if p.lang == lang])[0]
        for lang in ("fr", "zh")
    }
    seed_src = [s for s, _ in data_translation.SEED_PAIRS]
    greedy = dict(zip(seed_src, (text_tok.decode(ids) for ids in greedy_batch(model, [enc(s) for s in seed_src]))))
    seeds = {s: [text_tok.decode(b.ids) for b in beam_search(model, enc(s), width=2)] for s in seed_src}
    metrics = dict(exact_match=em, exact_match_by_lang=by_lang, heldout=len(split.heldout),
                   misses=misses[:10], seeds_greedy=greedy, seeds_beam2=seeds, params=model.n_params(),
                   train_pairs=len(split.train))
    log(f"held-out exact match: {em:.2%} ({len(split.heldout)} pairs; fr {by_lang['fr']:.2%}, zh {by_lang['zh']:.2%})")
    for s, beams in seeds.items():
        log(f"  {s} -> greedy {greedy[s]!r}; beam width 2: {beams}")
    card = cards.translator_card(cfg, tcfg, result, metrics, command, _stamp())
    folder = export(model, out, tok, card)
    return Outcome(folder, result, metrics)


def train_gpt(out: Path, steps: int = GPT_STEPS, seed: int = 0, threads: int | None = None,
              callbacks: list[Callback] = (), control: Control | None = None,
              log: Log = print, command: str = "") -> Outcome:
    train, held = data_gpt.corpus()
    tok = train_gpt_tokenizer(train)
    eot = tok.token_to_id(ENDOFTEXT)
    stream: list[int] = []
    for s in train:
        stream += tok.encode(s).ids + [eot]
    held_stream: list[int] = []
    for s in held:
        held_stream += tok.encode(s).ids + [eot]
    log(f"corpus: {len(train)} stories ({len(stream):,} tokens), {len(held)} held out ({len(held_stream):,} tokens)")
    cfg = gpt_config(tok.get_vocab_size(), eot)
    model = new_model(cfg, seed, std=0.02)
    task = LanguageModelTask(stream, GPT_WINDOW, probe_ids=tok.encode(train[0]).ids[:17])
    tcfg = gpt_train_config(steps, seed, threads)
    log(f"model: {model.n_params():,} parameters, vocabulary {cfg.vocab_size}; training {steps} steps")
    result = Trainer(model, task, tcfg, list(callbacks), control).run()
    ppl = perplexity(model, held_stream, GPT_WINDOW)
    sample = greedy_continue(model, TextTokenizer(tok), "Once upon a time, there was a", 40)
    metrics = dict(perplexity=ppl, params=model.n_params(), train_tokens=len(stream),
                   heldout_tokens=len(held_stream), sample=sample)
    log(f"held-out perplexity: {ppl:.3f}")
    log(f"  sample: {sample}")
    card = cards.gpt_card(cfg, tcfg, result, metrics, command, _stamp())
    folder = export(model, out, tok, card)
    return Outcome(folder, result, metrics)


def train_bert(out: Path, steps: int = BERT_STEPS, seed: int = 0, threads: int | None = None,
               callbacks: list[Callback] = (), control: Control | None = None,
               log: Log = print, command: str = "") -> Outcome:
    train, held = data_bert.corpus(seed=seed)
    tok = train_bert_tokenizer(train)
    ids = {t: tok.token_to_id(t) for t in BERT_SPECIALS}
    pad, mask = ids["[PAD]"], ids["[MASK]"]
    sentences = [tok.encode(s).ids for s in train]
    held_ids = [tok.encode(s).ids for s in held]
    n_tokens = sum(map(len, sentences))
    log(f"corpus: {len(train):,} sentences ({n_tokens:,} tokens), {len(held)} held out")
    cfg = bert_config(tok.get_vocab_size(), pad, mask)
    model = new_model(cfg, seed, std=0.02)
    probe = tok.encode(BERT_EXAMPLES[0]).ids
    answer = tok.encode(BERT_EXAMPLES[0].replace("[MASK]", "cross")).ids
    task = MaskedLMTask(sentences, pad_id=pad, mask_id=mask, special_ids=list(ids.values()),
                        vocab_size=cfg.vocab_size, probe=(probe, answer))
    tcfg = bert_train_config(steps, seed, threads)
    log(f"model: {model.n_params():,} parameters, vocabulary {cfg.vocab_size}; training {steps} steps")
    cpu0 = time.process_time()  # on a shared machine the wall time says little: the CPU time too
    result = Trainer(model, task, tcfg, list(callbacks), control).run()
    cpu_s = time.process_time() - cpu0
    acc = masked_accuracy(model, held_ids, mask_id=mask, pad_id=pad, special_ids=list(ids.values()), seed=seed)
    fills = {s: example_fills(model, TextTokenizer(tok), s, BERT_TOP) for s in BERT_EXAMPLES}
    metrics = dict(accuracy=acc, params=model.n_params(), train_sentences=len(train), train_tokens=n_tokens,
                   heldout_sentences=len(held), fills=fills, cpu_s=cpu_s)
    log(f"held-out masked-token accuracy: top-1 {acc['top1']:.2%}, top-5 {acc['top5']:.2%} "
        f"({acc['masked']} masked tokens in {acc['sentences']} sentences)")
    for s, f in fills.items():
        log(f"  {s} -> " + ", ".join(f"{w} {p:.4f}" for w, p in f[0]))
    card = cards.bert_card(cfg, tcfg, result, metrics, command, _stamp())
    folder = export(model, out, tok, card, extra={"tokenizer_config.json": cards.bert_tokenizer_config(cfg)})
    return Outcome(folder, result, metrics)


def example_fills(model, tok: TextTokenizer, text: str, k: int) -> list[list[tuple[str, float]]]:
    """Top-k (token, probability) at each [MASK] of `text`, left to right, as engine.decoding
    computes them (one pass, every mask predicted at once)."""
    from ..decoding import fill_masks

    ev = next(fill_masks(model, tok.encode(text).ids, top_k=k))
    return [[(tok.token_strings([i])[0], p) for i, p in ev.top[pos]] for pos in sorted(ev.top)]


@torch.inference_mode()
def greedy_continue(model, tok: TextTokenizer, prompt: str, n: int) -> str:
    ids = tok.encode(prompt).ids
    for _ in range(n):
        nxt = int(model(torch.tensor([ids[-model.cfg.n_ctx:]]))[0, -1].argmax())
        if nxt == model.cfg.eos_token_id:
            break
        ids.append(nxt)
    return tok.decode(ids)


def _stamp() -> dict:
    return dict(date=datetime.date.today().isoformat(), torch=torch.__version__,
                threads=torch.get_num_threads(), machine=platform.machine())


RECIPES = {"translator": train_translator, "gpt": train_gpt, "bert": train_bert}
DEFAULT_STEPS = {"translator": TRANSLATOR_STEPS, "gpt": GPT_STEPS, "bert": BERT_STEPS}
