"""Every registered architecture declares every field of its transformers config (never silently wrong)."""
import pytest

from engine.errors import UnsupportedArchitecture
from engine.loading.registry import CONVERTERS, converter_for, supported


def _reference_config(arch: str) -> dict:
    import transformers

    cls = getattr(transformers, arch, None)
    assert cls is not None, f"{arch} has no transformers class to check it against"
    return cls.config_class().to_dict()


@pytest.mark.parametrize("arch", supported())
def test_every_config_field_is_used_ignored_or_refused(arch):
    conv = converter_for(arch)
    missing = conv.rules.undeclared(_reference_config(arch))
    assert not missing, f"{arch}: declare these fields in its converter (USED / IGNORED / REFUSED): {missing}"


@pytest.mark.parametrize("arch", supported())
def test_refused_values_are_refused_by_name(arch):
    conv = CONVERTERS[arch]
    hf = _reference_config(arch)
    for key, rule in conv.rules.refused.items():
        bad = _a_value_it_refuses(rule, hf.get(key))
        if bad is _NONE:
            continue
        with pytest.raises(UnsupportedArchitecture, match=key):
            conv.make_config({**hf, key: bad})


_NONE = object()


def _a_value_it_refuses(rule, default):
    """The first of a few typical values that the rule does not accept (its default must be accepted)."""
    assert default is None or rule.allows(default), f"the default value {default!r} is refused"
    for candidate in (True, False, "unknown-variant", 3, 0.5, [1], {"type": "unknown"}):
        if not rule.allows(candidate):
            return candidate
    return _NONE


def test_an_undeclared_field_becomes_a_note():
    conv = converter_for("GPT2LMHeadModel")
    cfg = conv.make_config({**_reference_config("GPT2LMHeadModel"), "brand_new_option": 1})
    assert any("brand_new_option" in n for n in cfg.extra["notes"])


def test_a_mixture_of_experts_model_is_refused_with_the_reason():
    with pytest.raises(UnsupportedArchitecture, match="MixtralForCausalLM: mixture-of-experts"):
        converter_for("MixtralForCausalLM")


def test_an_unknown_architecture_lists_what_is_supported():
    with pytest.raises(UnsupportedArchitecture, match="unsupported architecture 'NoSuchLM'.*GPT2LMHeadModel"):
        converter_for("NoSuchLM")
