"""Sentences for the tiny masked-LM (tiny-bert): the other bundled corpora plus generated
"the animal didn't cross the street because it was too tired" sentences.

Masked filling needs a word whose choice the rest of the sentence decides. The generated
sentences tie each verb to the things it takes ("cross" the street / road / river, "climb" the
tree / hill) and each "because it was too …" to what "it" can be (a tired animal, a wide
street), so "the animal didn't [MASK] the street" has a few sensible answers and many wrong
ones. The other sentences come from the tiny GPT's stories and the English side of the tiny
translator's pairs, so the model also knows the vocabulary the other bundled models use.
Everything is drawn with seeded generators: the same corpus on every machine, no download.
"""
from __future__ import annotations

import random
import re

from . import data_gpt, data_translation

# subjects "it" can stand for; people take he / she
ANIMALS = ("animal", "dog", "cat", "horse", "cow", "fox", "rabbit", "duck", "chicken", "bear", "mouse", "goat")
PEOPLE = (("man", "he"), ("woman", "she"), ("boy", "he"), ("girl", "she"), ("old man", "he"),
          ("old woman", "she"), ("child", "she"), ("farmer", "he"), ("teacher", "she"))
# what the subject can be too … (it = the subject)
SUBJECT_TOO = ("tired", "scared", "sleepy", "old", "weak", "slow", "small", "lazy", "sick", "afraid")
# verb (base, past) -> the things it takes and what those things can be too … (it = the thing)
VERBS = {
    ("cross", "crossed"): (("street", "road", "river", "bridge", "field"),
                           ("wide", "busy", "dangerous", "long", "deep", "dark")),
    ("climb", "climbed"): (("tree", "hill", "wall", "fence", "mountain"), ("high", "tall", "steep", "slippery")),
    ("eat", "ate"): (("food", "cake", "apple", "bread", "soup", "grass"), ("hot", "cold", "old", "dry", "big")),
    ("drink", "drank"): (("water", "milk", "tea", "juice"), ("hot", "cold", "dirty", "sweet")),
    ("open", "opened"): (("door", "box", "window", "gate"), ("heavy", "stuck", "small", "big")),
    ("carry", "carried"): (("bag", "box", "basket", "ball", "stone"), ("heavy", "big", "wet")),
    ("enter", "entered"): (("house", "room", "shop", "barn", "cave"), ("dark", "small", "cold", "noisy")),
    ("leave", "left"): (("house", "room", "garden", "barn", "park"), ("warm", "quiet", "nice")),
    ("catch", "caught"): (("ball", "fish", "bird", "mouse"), ("fast", "quick", "small")),
    ("find", "found"): (("key", "ball", "road", "house", "way"), ("small", "far", "dark")),
    ("reach", "reached"): (("top", "shelf", "door", "river", "village"), ("high", "far", "distant")),
}
PURPOSES = ("to find its friend", "to get home", "to look for food", "to reach the other side",
            "to meet its mother", "to play in the sun")


def _subject(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.7:
        return rng.choice(ANIMALS), "it"
    return rng.choice(PEOPLE)


def street_sentence(rng: random.Random) -> str:
    """One sentence of the 'the animal didn't cross the street because it was too tired' kind."""
    (verb, past), (things, thing_too) = rng.choice(list(VERBS.items()))
    subj, pron = _subject(rng)
    thing = rng.choice(things)
    kind = rng.random()
    neg = rng.choice(("didn't", "did not", "could not", "couldn't", "would not"))
    if kind < 0.4:  # the reason is about the subject
        return f"the {subj} {neg} {verb} the {thing} because {pron} was too {rng.choice(SUBJECT_TOO)}."
    if kind < 0.7:  # the reason is about the thing
        return f"the {subj} {neg} {verb} the {thing} because it was too {rng.choice(thing_too)}."
    if kind < 0.85:
        purpose = rng.choice(PURPOSES).replace("its", {"he": "his", "she": "her"}.get(pron, "its"))
        return f"the {subj} {past} the {thing} {purpose}."
    return f"the {subj} wanted to {verb} the {thing}, but {pron} was too {rng.choice(SUBJECT_TOO)}."


def story_sentences(n_stories: int, seed: int) -> list[str]:
    """The tiny GPT's stories, cut into sentences."""
    out: list[str] = []
    for s in data_gpt.stories(n_stories, seed):
        out += [t for t in re.split(r"(?<=\.)\s+", s) if t]
    return out


def corpus(n_street: int = 16000, n_stories: int = 1200, n_heldout: int = 600,
           seed: int = 0) -> tuple[list[str], list[str]]:
    """Training and held-out sentences; no held-out sentence occurs in training."""
    rng = random.Random(seed)
    train = [street_sentence(rng) for _ in range(n_street)]
    train += story_sentences(n_stories, seed)
    en = sorted({p.tgt for p in data_translation.all_pairs()})
    held_rng = random.Random(seed + 1_000_003)
    held_rng.shuffle(en)
    n_en_held = n_heldout // 3
    train += en[n_en_held:]
    random.Random(seed).shuffle(train)
    seen = set(train)
    fresh = [street_sentence(held_rng) for _ in range(n_heldout * 4)]
    fresh += story_sentences(n_heldout, seed + 1_000_003)
    held_rng.shuffle(fresh)
    held = [s for s in dict.fromkeys(fresh) if s not in seen][: n_heldout - n_en_held] + en[:n_en_held]
    return train, held
