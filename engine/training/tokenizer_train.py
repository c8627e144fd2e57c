"""Tokenizers for the bundled models, trained with the Hugging Face `tokenizers` library.

Translator: WordPiece over one shared French/Chinese/English vocabulary (Marian shares its
embeddings between encoder and decoder). The BERT normaliser puts spaces around every CJK
character, so a Chinese character is always one token; a post-processor appends </s>.
Tiny GPT: byte-level BPE, GPT-2's scheme, with <|endoftext|> between stories.
"""
from __future__ import annotations

from typing import Iterable

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

# Marian convention: the pad token doubles as the decoder start token.
PAD, EOS, UNK = "<pad>", "</s>", "<unk>"
TRANSLATOR_SPECIALS = (PAD, EOS, UNK)  # ids 0, 1, 2
ENDOFTEXT = "<|endoftext|>"


def train_translator_tokenizer(texts: Iterable[str], vocab_size: int = 1000) -> Tokenizer:
    tok = Tokenizer(models.WordPiece(unk_token=UNK, continuing_subword_prefix="##"))
    tok.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=False, lowercase=True
    )
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size, special_tokens=list(TRANSLATOR_SPECIALS), show_progress=False
    )
    tok.train_from_iterator(list(texts), trainer=trainer)
    tok.post_processor = processors.TemplateProcessing(
        single=f"$A {EOS}", pair=f"$A {EOS} $B {EOS}", special_tokens=[(EOS, tok.token_to_id(EOS))]
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
