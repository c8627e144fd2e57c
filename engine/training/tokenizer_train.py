"""Tokenizers for the bundled models, trained with the Hugging Face `tokenizers` library.

Translator: WordPiece over one shared French/Chinese/English vocabulary (Marian shares its
embeddings between encoder and decoder), whole words plus single-character fallbacks. The BERT normaliser puts spaces around every CJK
character, so a Chinese character is always one token; a post-processor appends </s>.
Tiny GPT: byte-level BPE, GPT-2's scheme, with <|endoftext|> between stories.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

# Marian convention: the pad token doubles as the decoder start token.
PAD, EOS, UNK = "<pad>", "</s>", "<unk>"
TRANSLATOR_SPECIALS = (PAD, EOS, UNK)  # ids 0, 1, 2
ENDOFTEXT = "<|endoftext|>"


def train_translator_tokenizer(texts: Iterable[str]) -> Tokenizer:
    """WordPiece with a whole-word vocabulary, counted with the library's own normaliser and
    pre-tokenizer.

    The library's WordPieceTrainer breaks frequency ties in hash-map order, which changes from
    run to run (and with it every token id, so `tplay train` would not be repeatable). Here the
    vocabulary is fixed by sorting: special tokens, every character and its `##` form (the
    fallback for unseen words), then every word, most frequent first, ties alphabetical.
    """
    normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=False, lowercase=True
    )
    pre = pre_tokenizers.BertPreTokenizer()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w, _ in pre.pre_tokenize_str(normalizer.normalize_str(text)))
    chars = sorted({c for w in counts for c in w})
    words = sorted((w for w in counts if len(w) > 1), key=lambda w: (-counts[w], w))
    vocab: dict[str, int] = {}
    for t in [*TRANSLATOR_SPECIALS, *chars, *("##" + c for c in chars), *words]:
        vocab.setdefault(t, len(vocab))
    tok = Tokenizer(models.WordPiece(vocab, unk_token=UNK, continuing_subword_prefix="##"))
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre
    tok.add_special_tokens(list(TRANSLATOR_SPECIALS))
    tok.post_processor = processors.TemplateProcessing(
        single=f"$A {EOS}", pair=f"$A {EOS} $B {EOS}", special_tokens=[(EOS, vocab[EOS])]
    )
    tok.decoder = decoders.WordPiece(prefix="##")
    return tok


def train_gpt_tokenizer(texts: Iterable[str], vocab_size: int = 600) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[ENDOFTEXT],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(list(texts), trainer=trainer)
    return tok


# BERT's special tokens, in bert-base-uncased's order of importance (ids 0..4)
BERT_SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


def train_bert_tokenizer(texts: Iterable[str]) -> Tokenizer:
    """BERT's uncased WordPiece: lowercase, split on whitespace and punctuation, [CLS] … [SEP].

    The vocabulary is fixed the same way as the translator's (see train_translator_tokenizer):
    special tokens, every character and its `##` form, then every word, most frequent first."""
    normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=True,
                                            lowercase=True)
    pre = pre_tokenizers.BertPreTokenizer()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w, _ in pre.pre_tokenize_str(normalizer.normalize_str(text)))
    chars = sorted({c for w in counts for c in w})
    words = sorted((w for w in counts if len(w) > 1), key=lambda w: (-counts[w], w))
    vocab: dict[str, int] = {}
    for t in [*BERT_SPECIALS, *chars, *("##" + c for c in chars), *words]:
        vocab.setdefault(t, len(vocab))
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", continuing_subword_prefix="##"))
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre
    tok.add_special_tokens(list(BERT_SPECIALS))
    cls, sep = vocab["[CLS]"], vocab["[SEP]"]
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)],
    )
    tok.decoder = decoders.WordPiece(prefix="##")
    return tok
