"""After the model: truncation, the post-processor (special tokens such as [CLS]/[SEP] or BOS),
padding; in the library's order (`Tokenizer::post_process`). Each post-processor type is a
registered function of its JSON."""
from __future__ import annotations

from typing import Callable

from .explain_steps import ExplainError, StepLog

Pieces = list[tuple[int, str]]
# processor JSON -> (ids/tokens to put before, after) the sequence, for a single sequence
PROCESSORS: dict[str, Callable[[dict], tuple[Pieces, Pieces]]] = {}


def processor(kind: str):
    def deco(fn):
        PROCESSORS[kind] = fn
        return fn

    return deco


@processor("TemplateProcessing")
def _template(p: dict) -> tuple[Pieces, Pieces]:
    before: Pieces = []
    after: Pieces = []
    seen_a = False
    for item in p["single"]:
        if "Sequence" in item:
            if item["Sequence"]["id"] != "A":
                raise ExplainError("this tokenizer's template uses a second sequence for single texts")
            seen_a = True
            continue
        name = item["SpecialToken"]["id"]
        spec = p["special_tokens"][name]
        (after if seen_a else before).extend(zip(spec["ids"], spec["tokens"]))
    return before, after


@processor("BertProcessing")
def _bert(p: dict) -> tuple[Pieces, Pieces]:
    (sep, sep_id), (cls, cls_id) = p["sep"], p["cls"]
    return [(cls_id, cls)], [(sep_id, sep)]


PROCESSORS["RobertaProcessing"] = _bert  # <s> A </s>; its offset trimming changes no id


@processor("ByteLevel")
def _byte_level(p: dict) -> tuple[Pieces, Pieces]:
    return [], []  # only trims offsets


@processor("Sequence")
def _sequence(p: dict) -> tuple[Pieces, Pieces]:
    before: Pieces = []
    after: Pieces = []
    for sub in p["processors"]:
        b, a = specials_of(sub)
        before, after = b + before, after + a
    return before, after


def specials_of(p: dict) -> tuple[Pieces, Pieces]:
    fn = PROCESSORS.get(p.get("type"))
    if fn is None:
        raise ExplainError(f"post-processor {p.get('type')!r} is not supported by the explainer; "
                           f"supported: {', '.join(sorted(PROCESSORS))}")
    return fn(p)


def truncate(pieces: Pieces, trunc: dict | None, n_special: int, log: StepLog) -> Pieces:
    if not trunc:
        return pieces
    max_len = int(trunc["max_length"]) - n_special
    if max_len < 0:
        raise ExplainError("the truncation length is shorter than the special tokens it must hold")
    if trunc.get("strategy") in ("only_second", "OnlySecond"):
        raise ExplainError("truncation 'only_second' needs a pair of texts")
    if len(pieces) <= max_len:
        return pieces
    left = str(trunc.get("direction", "right")).lower() == "left"
    kept = pieces[len(pieces) - max_len:] if left else pieces[:max_len]
    log.emit("truncate", f"truncate {len(pieces)} tokens to {max_len} (max_length "
             f"{trunc['max_length']} minus {n_special} special), dropping from the "
             f"{'left' if left else 'right'}", before=len(pieces), after=max_len,
             direction="left" if left else "right", ids=[i for i, _ in kept])
    return kept


def pad(pieces: Pieces, padding: dict | None, log: StepLog) -> Pieces:
    if not padding:
        return pieces
    target = padding.get("length")
    target = len(pieces) if target is None else int(target)
    mult = padding.get("pad_to_multiple_of")
    if mult and target % mult:
        target += mult - target % mult
    if len(pieces) >= target:
        return pieces
    fill = [(int(padding["pad_id"]), padding["pad_token"])] * (target - len(pieces))
    left = str(padding.get("direction", "right")).lower() == "left"
    log.emit("pad", f"pad with {len(fill)} x {padding['pad_token']} (id {padding['pad_id']}) on the "
             f"{'left' if left else 'right'} to length {target}", count=len(fill), length=target,
             direction="left" if left else "right", pad_id=int(padding["pad_id"]),
             pad_token=padding["pad_token"])
    return fill + pieces if left else pieces + fill


def post_process(pieces: Pieces, processor_json: dict | None, add_special: bool, log: StepLog) -> Pieces:
    if processor_json is None or not add_special:
        why = "no post-processor" if processor_json is None else "special tokens not requested"
        log.emit("post_process", f"{why}: the tokens stay as they are", before=[], after=[],
                 ids=[i for i, _ in pieces])
        return pieces
    before, after = specials_of(processor_json)
    out = before + pieces + after
    names = [t for _, t in before] + ["…"] + [t for _, t in after]
    desc = (f"post-processor {processor_json['type']}: " + " ".join(names)
            if before or after else f"post-processor {processor_json['type']} adds no tokens")
    log.emit("post_process", desc, processor=processor_json["type"],
             before=[[i, t] for i, t in before], after=[[i, t] for i, t in after],
             ids=[i for i, _ in out])
    return out
