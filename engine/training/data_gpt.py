"""A generated corpus of very short children's stories for the tiny GPT.

Generated rather than downloaded: it is the same on every machine, needs no package or network,
and its small, regular vocabulary is something a 1M-parameter model learns in minutes, so its
next-token predictions are easy to read ("Once upon a time, there was a little ..." → "dog"/"cat").
Stories are drawn with a seeded random generator; the held-out stories come from another seed
and are checked not to occur in the training set.
"""
from __future__ import annotations

import random

ENDOFTEXT = "<|endoftext|>"

NAMES = (("Tom", "he"), ("Lily", "she"), ("Sam", "he"), ("Mia", "she"), ("Ben", "he"),
         ("Anna", "she"), ("Max", "he"), ("Zoe", "she"), ("Leo", "he"), ("Emma", "she"))
ANIMALS = ("dog", "cat", "bird", "rabbit", "fox", "bear", "duck", "frog", "mouse", "owl")
ADJS = ("little", "big", "happy", "sleepy", "brave", "kind", "small", "funny", "shy", "clever")
COLORS = ("red", "blue", "green", "yellow", "white", "black", "pink", "brown")
PLACES = ("park", "garden", "forest", "river", "beach", "farm", "hill", "village")
OBJECTS = ("ball", "kite", "book", "hat", "box", "cake", "key", "shell", "drum", "map")
ACTIVITIES = ("play in the {place}", "read a book", "sing a song", "run in the {place}",
              "look at the stars", "dance in the rain", "draw pictures", "swim in the river")
FEELINGS = ("happy", "surprised", "excited", "curious", "proud", "glad")
FOODS = ("soup", "bread", "apples", "cake", "rice", "pie", "carrots", "fish")
ENDINGS = ("They played together until the sun went down.",
           "They laughed and played all afternoon.",
           "From that day on, they were best friends.",
           "They shared the {object} and had a lot of fun.")


def _possessive(pron: str) -> str:
    return {"he": "his", "she": "her"}[pron]


def story(rng: random.Random) -> str:
    name, pron = rng.choice(NAMES)
    friend, fpron = rng.choice([n for n in NAMES if n[0] != name])
    animal, friend_animal = rng.choice(ANIMALS), rng.choice(ANIMALS)
    place, obj, color = rng.choice(PLACES), rng.choice(OBJECTS), rng.choice(COLORS)
    P = pron.capitalize()
    lines = [
        f"Once upon a time, there was a {rng.choice(ADJS)} {animal} named {name}.",
        f"{name} lived in a {rng.choice(COLORS)} house near the {place}.",
        f"Every day, {pron} liked to {rng.choice(ACTIVITIES).format(place=place)}.",
        f"One day, {name} found a {color} {obj} in the {rng.choice(PLACES)}.",
        f"{P} was very {rng.choice(FEELINGS)}.",
        f"{name} showed the {obj} to {_possessive(pron)} friend, a {rng.choice(ADJS)} {friend_animal} "
        f"called {friend}.",
        rng.choice(ENDINGS).format(object=obj),
    ]
    if rng.random() < 0.5:
        lines.append(f"Then they went home and had {rng.choice(FOODS)} for dinner.")
    lines.append("The end.")
    return " ".join(lines)


def stories(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [story(rng) for _ in range(n)]


def corpus(n_train: int = 4000, n_heldout: int = 200, seed: int = 0) -> tuple[list[str], list[str]]:
    """Training and held-out stories; held-out ones never occur verbatim in training."""
    train = stories(n_train, seed)
    seen = set(train)
    held = [s for s in stories(n_heldout * 2, seed + 1_000_003) if s not in seen][:n_heldout]
    return train, held
