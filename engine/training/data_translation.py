"""A generated French→English and Chinese→English parallel corpus, with a held-out split.

Small closed grammar, so a tiny Transformer can learn it in minutes, but with the things the
articles talk about: pronouns and verb agreement (je suis / tu es / il est, 我是 / 你是),
articles (un/une/les → a/an/the, 一个/一辆/两只 measure words), nouns, adjectives that move
("une voiture rouge" → "a red car"), negation (ne … pas, 不/没有) and a few fixed phrases.

Every sentence is enumerated (no sampling), so the corpus is the same on every machine; the
held-out split is chosen by a seeded shuffle and never includes the example sentences (SEED_PAIRS).
"""
from __future__ import annotations

import random
from dataclasses import dataclass

# The worked examples: always in training, never held out, must come out exactly.
SEED_PAIRS = (
    ("je suis étudiant", "i am a student"),
    ("我是一个学生", "i am a student"),
    ("merci", "thanks"),
)

# The reordering example the attention test looks at: (source, target, source word, target word).
REORDER_EXAMPLE = ("j'ai une voiture rouge", "i have a red car", "rouge", "red")

FIXED = (
    ("merci", "谢谢", "thanks"),
    ("bonjour", "你好", "hello"),
    ("au revoir", "再见", "goodbye"),
    ("oui", "是的", "yes"),
    ("non", "不是", "no"),
    ("bonne nuit", "晚安", "good night"),
    ("merci beaucoup", "非常感谢", "thank you very much"),
    ("s'il vous plaît", "请", "please"),
)


@dataclass(frozen=True)
class Subject:
    fr: str
    zh: str
    en: str
    person: int  # 1, 2, 3
    plural: bool
    fem: bool


SUBJECTS = (
    Subject("je", "我", "i", 1, False, False),
    Subject("tu", "你", "you", 2, False, False),
    Subject("il", "他", "he", 3, False, False),
    Subject("elle", "她", "she", 3, False, True),
    Subject("nous", "我们", "we", 1, True, False),
    Subject("vous", "你们", "you", 2, True, False),
    Subject("ils", "他们", "they", 3, True, False),
    Subject("elles", "她们", "they", 3, True, True),
)


def _slot(s: Subject) -> int:
    """Conjugation slot 0..5 (je, tu, il/elle, nous, vous, ils/elles)."""
    return (s.person - 1) + (3 if s.plural else 0)


ETRE = ("suis", "es", "est", "sommes", "êtes", "sont")
AVOIR = ("ai", "as", "a", "avons", "avez", "ont")
AIMER = ("aime", "aimes", "aime", "aimons", "aimez", "aiment")


def _en_be(s: Subject) -> str:
    return "am" if s.en == "i" else ("is" if s.person == 3 and not s.plural else "are")


def _en_third_singular(s: Subject) -> bool:
    return s.person == 3 and not s.plural


def _fr_verb(s: Subject, table: tuple[str, ...], neg: bool) -> str:
    """Subject + conjugated verb, with ne … pas and the elisions j'/n'."""
    verb = table[_slot(s)]
    vowel = verb[0] in "aeéêiou"
    if neg:
        ne = "n'" if vowel else "ne "
        return f"{s.fr} {ne}{verb} pas"
    if s.fr == "je" and vowel:
        return f"j'{verb}"
    return f"{s.fr} {verb}"


def _an(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


# profession: (fr masc, fr fem, zh, en)
PROFESSIONS = (
    ("étudiant", "étudiante", "学生", "student"),
    ("professeur", "professeure", "老师", "teacher"),
    ("médecin", "médecin", "医生", "doctor"),
    ("ingénieur", "ingénieure", "工程师", "engineer"),
    ("acteur", "actrice", "演员", "actor"),
    ("chanteur", "chanteuse", "歌手", "singer"),
    ("artiste", "artiste", "艺术家", "artist"),
    ("avocat", "avocate", "律师", "lawyer"),
    ("infirmier", "infirmière", "护士", "nurse"),
    ("cuisinier", "cuisinière", "厨师", "cook"),
)

# predicative adjective of a person: (fr masc sing, fr fem sing, fr masc pl, fr fem pl, zh, en)
PERSON_ADJ = (
    ("content", "contente", "contents", "contentes", "高兴", "happy"),
    ("fatigué", "fatiguée", "fatigués", "fatiguées", "累", "tired"),
    ("triste", "triste", "tristes", "tristes", "难过", "sad"),
    ("occupé", "occupée", "occupés", "occupées", "忙", "busy"),
    ("grand", "grande", "grands", "grandes", "高", "tall"),
    ("gentil", "gentille", "gentils", "gentilles", "友好", "kind"),
    ("jeune", "jeune", "jeunes", "jeunes", "年轻", "young"),
    ("vieux", "vieille", "vieux", "vieilles", "老", "old"),
)

# noun: (fr sing, fr plural, feminine, zh, zh measure word, en sing, en plural)
NOUNS = (
    ("voiture", "voitures", True, "车", "辆", "car", "cars"),
    ("chien", "chiens", False, "狗", "只", "dog", "dogs"),
    ("chat", "chats", False, "猫", "只", "cat", "cats"),
    ("livre", "livres", False, "书", "本", "book", "books"),
    ("maison", "maisons", True, "房子", "座", "house", "houses"),
    ("pomme", "pommes", True, "苹果", "个", "apple", "apples"),
    ("vélo", "vélos", False, "自行车", "辆", "bike", "bikes"),
    ("table", "tables", True, "桌子", "张", "table", "tables"),
    ("chemise", "chemises", True, "衬衫", "件", "shirt", "shirts"),
    ("fleur", "fleurs", True, "花", "朵", "flower", "flowers"),
)

# attributive adjective: (fr m sg, f sg, m pl, f pl, before the noun in French?, zh in a noun
# phrase, zh predicate, en). Colours follow the noun in French and reorder in English.
NOUN_ADJ = (
    ("rouge", "rouge", "rouges", "rouges", False, "红色的", "是红色的", "red"),
    ("noir", "noire", "noirs", "noires", False, "黑色的", "是黑色的", "black"),
    ("blanc", "blanche", "blancs", "blanches", False, "白色的", "是白色的", "white"),
    ("bleu", "bleue", "bleus", "bleues", False, "蓝色的", "是蓝色的", "blue"),
    ("vert", "verte", "verts", "vertes", False, "绿色的", "是绿色的", "green"),
    ("jaune", "jaune", "jaunes", "jaunes", False, "黄色的", "是黄色的", "yellow"),
    ("grand", "grande", "grands", "grandes", True, "大", "很大", "big"),
    ("petit", "petite", "petits", "petites", True, "小", "很小", "small"),
)

NUMBERS = ((1, "un", "une", "一", None), (2, "deux", "deux", "两", "two"), (3, "trois", "trois", "三", "three"))


def _adj_form(adj, fem: bool, plural: bool) -> str:
    return adj[(2 if plural else 0) + (1 if fem else 0)]


def _fr_np(noun, adj, det: str, plural: bool) -> str:
    """French noun phrase: det [adj] noun [adj], adjectives agreeing in gender and number."""
    word = noun[1] if plural else noun[0]
    if adj is None:
        return f"{det} {word}"
    a = _adj_form(adj, noun[2], plural)
    return f"{det} {a} {word}" if adj[4] else f"{det} {word} {a}"


def _zh_np(noun, adj) -> str:
    return (adj[5] if adj else "") + noun[3]


def _en_np(noun, adj, plural: bool) -> str:
    word = noun[6] if plural else noun[5]
    return f"{adj[7]} {word}" if adj else word


def _be(out, add):
    """je suis étudiant / 我是(一个)学生 → i am a student, with negation and gender."""
    for s in SUBJECTS:
        for prof in PROFESSIONS:
            fr_word = prof[1] if s.fem else prof[0]
            if s.plural:
                fr_word += "s"
                en_obj = prof[3] + "s"
            else:
                en_obj = f"{_an(prof[3])} {prof[3]}"
            for neg in (False, True):
                en = f"{s.en} {_en_be(s)} {'not ' if neg else ''}{en_obj}"
                add("fr", f"{_fr_verb(s, ETRE, neg)} {fr_word}", en, "be-noun")
                shi = "不是" if neg else "是"
                add("zh", f"{s.zh}{shi}{prof[2]}", en, "be-noun")
                if not s.plural:
                    add("zh", f"{s.zh}{shi}一个{prof[2]}", en, "be-noun")


def _be_adj(out, add):
    """il est fatigué / 他很累 → he is tired; elle n'est pas contente / 她不高兴."""
    for s in SUBJECTS:
        for adj in PERSON_ADJ:
            fr_adj = _adj_form(adj, s.fem, s.plural)
            for neg in (False, True):
                en = f"{s.en} {_en_be(s)} {'not ' if neg else ''}{adj[5]}"
                add("fr", f"{_fr_verb(s, ETRE, neg)} {fr_adj}", en, "be-adj")
                add("zh", f"{s.zh}{'不' if neg else '很'}{adj[4]}", en, "be-adj")


def _have(out, add):
    """j'ai une voiture rouge / 我有一辆红色的车 → i have a red car (and two, three; negation)."""
    for s in SUBJECTS:
        has = "has" if _en_third_singular(s) else "have"
        dont = "does not have" if _en_third_singular(s) else "do not have"
        for noun in NOUNS:
            for adj in (None,) + NOUN_ADJ:
                for n, un, une, zh_n, en_n in NUMBERS:
                    plural = n > 1
                    det = (une if noun[2] else un) if not plural else un
                    en_np = _en_np(noun, adj, plural)
                    en_det = en_n if plural else _an(en_np)
                    fr = f"{_fr_verb(s, AVOIR, False)} {_fr_np(noun, adj, det, plural)}"
                    add("fr", fr, f"{s.en} {has} {en_det} {en_np}", "have")
                    zh = f"{s.zh}有{zh_n}{noun[4]}{_zh_np(noun, adj)}"
                    add("zh", zh, f"{s.en} {has} {en_det} {en_np}", "have")
                # negation: ne … pas de (no article in French, none in Chinese)
                en_np = _en_np(noun, adj, False)
                en = f"{s.en} {dont} {_an(en_np)} {en_np}"
                word = noun[0]
                if adj is None:
                    fr_np = word
                else:
                    a = _adj_form(adj, noun[2], False)
                    fr_np = f"{a} {word}" if adj[4] else f"{word} {a}"
                de = "d'" if fr_np[0] in "aeéiou" else "de "
                add("fr", f"{_fr_verb(s, AVOIR, True)} {de}{fr_np}", en, "have-neg")
                add("zh", f"{s.zh}没有{_zh_np(noun, adj)}", en, "have-neg")


def _like(out, add):
    """j'aime les chats noirs / 我喜欢黑色的猫 → i like black cats (generic plurals)."""
    for s in SUBJECTS:
        like = "likes" if _en_third_singular(s) else "like"
        dont = "does not like" if _en_third_singular(s) else "do not like"
        for noun in NOUNS:
            for adj in (None,) + NOUN_ADJ:
                en_np = _en_np(noun, adj, True)
                fr_np = _fr_np(noun, adj, "les", True)
                for neg in (False, True):
                    en = f"{s.en} {dont if neg else like} {en_np}"
                    add("fr", f"{_fr_verb(s, AIMER, neg)} {fr_np}", en, "like")
                    add("zh", f"{s.zh}{'不喜欢' if neg else '喜欢'}{_zh_np(noun, adj)}", en, "like")


def _thing_is(out, add):
    """la voiture est rouge / 车是红色的 → the car is red; les chiens sont noirs → the dogs are black."""
    for noun in NOUNS:
        for adj in NOUN_ADJ:
            for plural in (False, True):
                det = "les" if plural else ("la" if noun[2] else "le")
                word = noun[1] if plural else noun[0]
                verb = "sont" if plural else "est"
                a = _adj_form(adj, noun[2], plural)
                en_word = noun[6] if plural else noun[5]
                en_be = "are" if plural else "is"
                for neg in (False, True):
                    fr_verb = f"ne {verb} pas" if neg and plural else (f"n'{verb} pas" if neg else verb)
                    en = f"the {en_word} {en_be} {'not ' if neg else ''}{adj[7]}"
                    add("fr", f"{det} {word} {fr_verb} {a}", en, "thing-is")
                    if not plural:
                        zh_pred = adj[6]
                        if neg:
                            zh_pred = "不是" + adj[5] if zh_pred.startswith("是") else "不" + adj[5]
                        add("zh", f"{noun[3]}{zh_pred}", en, "thing-is")


def _fixed(out, add):
    for fr, zh, en in FIXED:
        add("fr", fr, en, "phrase")
        add("zh", zh, en, "phrase")


TEMPLATES = (_be, _be_adj, _have, _like, _thing_is, _fixed)


@dataclass(frozen=True)
class Pair:
    src: str
    tgt: str
    lang: str  # "fr" | "zh"
    kind: str  # the template it came from


def all_pairs() -> list[Pair]:
    """Every sentence of the grammar, once, in a fixed order."""
    out: list[Pair] = []
    seen: dict[str, str] = {}

    def add(lang: str, src: str, tgt: str, kind: str) -> None:
        if src in seen:
            if seen[src] != tgt:
                raise AssertionError(f"ambiguous source {src!r}: {seen[src]!r} vs {tgt!r}")
            return
        seen[src] = tgt
        out.append(Pair(src, tgt, lang, kind))

    for t in TEMPLATES:
        t(out, add)
    return out


@dataclass
class Split:
    train: list[Pair]
    heldout: list[Pair]


def split_corpus(pairs: list[Pair] | None = None, heldout_per_lang: int = 400, seed: int = 0) -> Split:
    """Hold out `heldout_per_lang` sentences per source language, never seeds or fixed phrases."""
    pairs = all_pairs() if pairs is None else pairs
    protected = {p[0] for p in SEED_PAIRS} | {REORDER_EXAMPLE[0]}
    rng = random.Random(seed)
    held: set[str] = set()
    for lang in ("fr", "zh"):
        pool = [p for p in pairs if p.lang == lang and p.kind != "phrase" and p.src not in protected]
        rng.shuffle(pool)
        held.update(p.src for p in pool[:heldout_per_lang])
    return Split(
        train=[p for p in pairs if p.src not in held],
        heldout=[p for p in pairs if p.src in held],
    )
