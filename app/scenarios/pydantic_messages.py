"""Pydantic's validation messages in the author's language.

pydantic-core writes its messages in English only; each error also carries its `type` and
the values it was built from (`ctx`), so the messages a scenario file can meet are worded
again here, from those, as msgids of our catalogue. A type not listed keeps pydantic's
English message (nothing is lost, it is only not translated)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.i18n import N_, gettext

# pydantic's error type -> its message, with the error's context values as placeholders.
_MESSAGES: dict[str, str] = {
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "finite_number": N_("Input should be a finite number"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "string_type": N_("Input should be a valid string"),
    "string_too_short": N_("String should have at least %(min_length)s character(s)"),
    "string_too_long": N_("String should have at most %(max_length)s character(s)"),
    "string_pattern_mismatch": N_("String should match pattern '%(pattern)s'"),
    "list_type": N_("Input should be a valid list"),
    "tuple_type": N_("Input should be a valid tuple"),
    "set_type": N_("Input should be a valid set"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a mapping of fields"),
    "model_attributes_type": N_("Input should be a mapping of fields"),
    "greater_than": N_("Input should be greater than %(gt)s"),
    "greater_than_equal": N_("Input should be greater than or equal to %(ge)s"),
    "less_than": N_("Input should be less than %(lt)s"),
    "less_than_equal": N_("Input should be less than or equal to %(le)s"),
    "multiple_of": N_("Input should be a multiple of %(multiple_of)s"),
    "too_short": N_("Should have at least %(min_length)s item(s), not %(actual_length)s"),
    "too_long": N_("Should have at most %(max_length)s item(s), not %(actual_length)s"),
    "literal_error": N_("Input should be %(expected)s"),
    "enum": N_("Input should be %(expected)s"),
    "none_required": N_("Input should be null"),
}


def _one_of(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" with the language's "or"."""
    choices = re.findall(r"'[^']*'", expected)
    if len(choices) < 2:
        return expected
    return gettext("%(some)s or %(last)s", some=", ".join(choices[:-1]), last=choices[-1])


def pydantic_message(error: Mapping[str, Any]) -> str:
    """The message of one pydantic error (an item of `ValidationError.errors()`) in the
    current language."""
    kind: str = error["type"]
    message: str = error["msg"]
    if kind == "value_error":  # our validators' own words, translated where raised
        return message.removeprefix("Value error, ")
    template = _MESSAGES.get(kind)
    if template is None:
        return message
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    if "expected" in context:
        context["expected"] = _one_of(context["expected"])
    try:
        return gettext(template, **context) if context else gettext(template)
    except (KeyError, ValueError, TypeError):  # a context pydantic changed: its own words
        return message
