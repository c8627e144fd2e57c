"""What a lab session file must hold, checked field by field before anything is shown (no Qt).

A session is hand-editable JSON: every value is checked for its type (and token ids for their
range) here, so a damaged file is one clear line and never an exception halfway through restoring
the lab. Whether a value fits the lab's knobs and the loaded model's vocabulary is checked by the
controller (LabController.check_session), which knows them.
"""
from __future__ import annotations

import math

from engine.errors import InputError

MAX_ID = 2**31 - 1  # no vocabulary comes near; a bigger id is damage, not a token
STATUSES = ("kept", "finished", "pruned")


def text(v, where: str) -> str:
    if not isinstance(v, str):
        raise InputError(f"{where} must be text, not {_kind(v)}")
    return v


def number(v, where: str, allow_inf: bool = False) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise InputError(f"{where} must be a number, not {_kind(v)}")
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise InputError(f"{where} is {v}, not a number the lab can use")
    return float(v)


def integer(v, where: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise InputError(f"{where} must be a whole number, not {_kind(v)}")
    return v


def token_ids(v, where: str) -> list[int]:
    if not isinstance(v, list):
        raise InputError(f"{where} must be a list of token ids, not {_kind(v)}")
    for t in v:
        if not 0 <= integer(t, f"a token id in {where}") <= MAX_ID:
            raise InputError(f"token id {t} in {where} is not a token id (0 … {MAX_ID})")
    return list(v)


def settings(v, kinds: dict) -> dict:
    """The flat settings dict, each known key of its kind (int or float for a float knob)."""
    if not isinstance(v, dict):
        raise InputError(f"settings must be an object, not {_kind(v)}")
    out = {}
    for k, x in v.items():
        kind = kinds.get(k)
        if kind is None:
            raise InputError(f"settings: '{k}' is not a setting the lab has")
        where = f"setting {k}"
        out[k] = text(x, where) if kind is str else integer(x, where) if kind is int else number(x, where)
    return out


def node(v, i: int) -> dict:
    where = f"beam tree node {i}"
    if not isinstance(v, dict):
        raise InputError(f"{where} must be an object, not {_kind(v)}")
    known = {"path", "text", "logprob", "status", "reason", "score", "step"}
    extra = sorted(set(v) - known)
    if extra or not {"path", "text", "logprob", "status"} <= set(v):
        raise InputError(f"{where} must have path, text, logprob and status"
                         + (f" (and not {', '.join(extra)})" if extra else ""))
    if v["status"] not in STATUSES:
        raise InputError(f"{where}: status {v['status']!r} is not one of {', '.join(STATUSES)}")
    return {"path": tuple(token_ids(v["path"], f"{where}'s path")), "text": text(v["text"], f"{where}'s text"),
            "logprob": number(v["logprob"], f"{where}'s logprob", allow_inf=True), "status": v["status"],
            "reason": text(v.get("reason", ""), f"{where}'s reason"),
            "score": None if v.get("score") is None else number(v["score"], f"{where}'s score", allow_inf=True),
            "step": integer(v.get("step", 0), f"{where}'s step")}


def ranking(v) -> list[tuple[list[int], float]]:
    if not isinstance(v, list):
        raise InputError(f"ranking must be a list, not {_kind(v)}")
    out = []
    for i, r in enumerate(v):
        if not isinstance(r, list) or len(r) != 2:
            raise InputError(f"ranking entry {i} must be [token ids, score]")
        out.append((token_ids(r[0], f"ranking entry {i}"), number(r[1], f"ranking entry {i}'s score", True)))
    return out


def listed(v, where: str) -> list:
    if not isinstance(v, list):
        raise InputError(f"{where} must be a list, not {_kind(v)}")
    return v


def _kind(v) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null",
            int: "a number", float: "a number"}.get(type(v), type(v).__name__)


def fields(v, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    """An object with every `required` key and no key outside required + optional."""
    if not isinstance(v, dict):
        raise InputError(f"{where} must be an object, not {_kind(v)}")
    missing = [k for k in required if k not in v]
    extra = sorted(set(v) - set(required) - set(optional))
    if missing or extra:
        said = (f"has no {', '.join(missing)}" if missing else "") + (" and " if missing and extra else "") + \
               (f"has unknown {', '.join(extra)}" if extra else "")
        raise InputError(f"{where} {said}")
    return v


def numbers(v, where: str, allow_inf: bool = False) -> list[float]:
    return [number(x, f"a value in {where}", allow_inf) for x in listed(v, where)]


def texts(v, where: str) -> list[str]:
    return [text(x, f"an entry of {where}") for x in listed(v, where)]


def optional(v, check, *args):
    """None stays None; anything else goes through `check`."""
    return None if v is None else check(v, *args)


def flag(v, where: str) -> bool:
    if not isinstance(v, bool):
        raise InputError(f"{where} must be true or false, not {_kind(v)}")
    return v
