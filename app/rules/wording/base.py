"""What every module of `app.rules.wording` shares: the format specs, the word type, and the
language the words are said in.

Every template here is English (the msgid, marked with `N_` for extraction) and is
translated when it is said, by the translator of the reader's language: `speaking(...)`
sets it for a block (app/i18n.py's `use_language` does, for each request, websocket and
command), so the rules never import the web and never hold a language of their own.
The grammar that depends on the language (plurals, lists, articles) is in this module
only: the catalogue gives the words, and each language's plural rule is in `_SINGULAR`.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from app.rules.state import GameState

Words = str | Callable[["Said"], str]


def N_(message: str) -> str:
    """Marks an English template for extraction; it is translated where it is said."""
    return message


def _as_written(message: str) -> str:
    return message


@dataclass(frozen=True)
class Speech:
    """The reader's language and its catalogue's translation of one message."""

    language: str = "en"
    translate: Callable[[str], str] = _as_written


_AS_WRITTEN = Speech()
_speech: ContextVar[Speech] = ContextVar("rules_speech", default=_AS_WRITTEN)


@functools.lru_cache(maxsize=32)
def _speech_of(language: str, translate: Callable[[str], str]) -> Speech:
    # One per language and catalogue: a frozen dataclass is slow to build, and every
    # request, websocket and page's rendering sets one.
    return Speech(language, translate)


class speaking:  # lower case: used as the function it was, `with speaking(...)`
    """Say every word in `language` (`translate` maps an English message to it) in the block.

    A class, not a generator made a context manager: entered on every request and every
    page rendered, where the generator's machinery cost a few microseconds each time."""

    __slots__ = ("_speech", "_token")

    def __init__(self, language: str, translate: Callable[[str], str]) -> None:
        self._speech = _speech_of(language, translate)

    def __enter__(self) -> None:
        self._token = _speech.set(self._speech)

    def __exit__(self, *exc_info: object) -> None:
        _speech.reset(self._token)


def gettext(message: str) -> str:
    """`message` (an English template) in the reader's language."""
    return _speech.get().translate(message)


# Whether a count takes the singular, per language ("0 unité", but "0 units").
_SINGULAR: dict[str, Callable[[float], bool]] = {
    "en": lambda n: n == 1,
    "fr": lambda n: abs(n) < 2,
}

# The nouns the words count (`{n:count:unit}`, `plural(n, "unit")`): singular and plural.
_NOUNS: dict[str, tuple[str, str]] = {
    "unit": (N_("unit"), N_("units")),
    "member": (N_("member"), N_("members")),
    "nation": (N_("nation"), N_("nations")),
    "standard": (N_("standard"), N_("standards")),
    "rung": (N_("rung"), N_("rungs")),
    "intelligence-sharing agreement": (
        N_("intelligence-sharing agreement"),
        N_("intelligence-sharing agreements"),
    ),
}

# Each agreement's label as a noun phrase, bare, with "a" and with "the": translated whole,
# since a language's article depends on the noun ("un accord", "une promesse").
_DEAL_PHRASES: dict[str, tuple[str, str, str]] = {
    "aid": (N_("aid agreement"), N_("an aid agreement"), N_("the aid agreement")),
    "basing and overflight": (
        N_("basing and overflight agreement"),
        N_("a basing and overflight agreement"),
        N_("the basing and overflight agreement"),
    ),
    "coalition membership": (
        N_("coalition membership agreement"),
        N_("a coalition membership agreement"),
        N_("the coalition membership agreement"),
    ),
    "combined exercise": (
        N_("combined exercise agreement"),
        N_("a combined exercise agreement"),
        N_("the combined exercise agreement"),
    ),
    "command arrangement": (
        N_("command arrangement"),
        N_("a command arrangement"),
        N_("the command arrangement"),
    ),
    "cost sharing": (
        N_("cost sharing agreement"),
        N_("a cost sharing agreement"),
        N_("the cost sharing agreement"),
    ),
    "force pledge": (N_("force pledge"), N_("a force pledge"), N_("the force pledge")),
    "intelligence sharing": (
        N_("intelligence sharing agreement"),
        N_("an intelligence sharing agreement"),
        N_("the intelligence sharing agreement"),
    ),
    "joint statement": (N_("joint statement"), N_("a joint statement"), N_("the joint statement")),
    "liaison officers": (
        N_("liaison officers agreement"),
        N_("a liaison officers agreement"),
        N_("the liaison officers agreement"),
    ),
    "NGO coordination": (
        N_("NGO coordination agreement"),
        N_("an NGO coordination agreement"),
        N_("the NGO coordination agreement"),
    ),
}

# Words the rules store as values (a result, a status, a phase...), said with `{x:term}`.
_TERMS: dict[str, str] = {
    "success": N_("success"),
    "partial": N_("partial"),
    "partial_success": N_("partial success"),
    "failure": N_("failure"),
    "not_attempted": N_("not attempted"),
    "open": N_("open"),
    "completed": N_("completed"),
    "failed": N_("failed"),
    "signed": N_("signed"),
    "rejected": N_("rejected"),
    "countered": N_("countered"),
    "withdrawn": N_("withdrawn"),
    "intelligence": N_("intelligence"),
    "negotiation": N_("negotiation"),
    "orders": N_("orders"),
    "adjudication": N_("adjudication"),
    "review": N_("review"),
    "ended": N_("ended"),
    "offensive": N_("offensive"),
    "defensive": N_("defensive"),
    "un": N_("UN"),
    "regional": N_("regional"),
    "none": N_("none"),
    "integrated": N_("integrated"),
    "lead_nation": N_("lead-nation"),
    "parallel": N_("parallel"),
    # why a nation left a coalition
    "left": N_("left"),
    "defection": N_("defection"),
    "collapse": N_("collapse"),
    # the red cell's moves (`RedMoveKind`, as the feed names them)
    "hold": N_("hold"),
    "escalate": N_("escalate"),
    "probe": N_("probe"),
    "signal": N_("signal"),
    "offer talks": N_("offer talks"),
    "accept terms": N_("accept terms"),
    # a national caveat (app/scenarios/models.py `Caveat`), as the pages name it
    "no-offensive-ground": N_("no offensive ground operations"),
    "no-night-ops": N_("no night operations"),
    "no-combat": N_("no combat operations"),
    "home-region-only": N_("home region only"),
}


# A coalition's mandate (`Mandate`) with its article.
_MANDATES: dict[str, str] = {
    "un": N_("a UN mandate"),
    "regional": N_("a regional mandate"),
    "none": N_("no mandate"),
}

# Where a language joins a word to the next one when that one opens with a vowel: "de
# Arvenia" is written "d'Arvenia", "que Esterholm" "qu'Esterholm" (names are filled in
# after translation, so the template cannot say it).
_ELISIONS: dict[str, re.Pattern[str]] = {
    "fr": re.compile(r"\b([Dd]e|[Qq]ue) (?=[AEIOUÀÂÉÈÊÎÏÔÛaeiouàâéèêîïôû])"),
}


# Where a language joins a preposition to the article of the name after it: "de les Îles
# Fenwick" is written "des Îles Fenwick", "à le Directoire" "au Directoire" (only before a
# capital: "de le faire" keeps its pronoun).
_CONTRACTIONS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "fr": (
        (re.compile(r"\b([Dd])e les (?=[A-ZÀ-Ý])"), r"\1es "),
        (re.compile(r"\b([Dd])e le (?=[A-ZÀ-Ý])"), r"\1u "),
        (re.compile(r"(?<![\w'])à les (?=[A-ZÀ-Ý])"), "aux "),
        (re.compile(r"(?<![\w'])à le (?=[A-ZÀ-Ý])"), "au "),
    ),
}


def elide(said: str) -> str:
    """`said` with the reader's language's elisions and contractions made ("de Arvenia"
    -> "d'Arvenia", "de les Îles Fenwick" -> "des Îles Fenwick")."""
    language = _speech.get().language
    for contraction, joined in _CONTRACTIONS.get(language, ()):
        said = contraction.sub(joined, said)
    elision = _ELISIONS.get(language)
    if elision is None:
        return said
    return elision.sub(lambda m: m.group(1)[:-1] + "'", said)


# How each language writes a number: its decimal mark, and a percentage ("20%", "20 %").
_DECIMAL_MARK: dict[str, str] = {"en": ".", "fr": ","}
_PERCENT: dict[str, str] = {"en": "{}%", "fr": "{}\u202f%"}


class UnknownReason(KeyError):
    """A reason code with no words: a programming error, never shown as a default."""


def name_of(state: GameState | None, some_id: str) -> str:
    """The name a reader knows for an id: a nation, operation, coalition or actor."""
    if state is None:
        return some_id
    found = (
        state.nation(some_id)
        or state.operation(some_id)
        or state.coalition(some_id)
        or state.actor(some_id)
    )
    return found.name if found is not None else some_id


# Agreement labels that name a thing one has ("a force pledge"); the others name a field
# of agreement ("aid", "cost sharing") and take "agreement" after them.
_COUNTABLE_DEALS = frozenset({"force pledge", "command arrangement", "joint statement"})


def sentence_start(phrase: str) -> str:
    """`phrase` opening a sentence: its first letter upper case, the rest as written
    ("NGO coordination", never "Ngo coordination")."""
    return phrase[:1].upper() + phrase[1:]


def _english_deal(label: str) -> str:
    return label if label in _COUNTABLE_DEALS else f"{label} agreement"


def _indefinite(phrase: str) -> str:
    """English `phrase` with "a" or "an" by its sound: "an aid agreement", "an NGO
    coordination agreement", "a force pledge", "a UN mandate"."""
    first = phrase.split(" ", 1)[0]
    if first.isupper() and len(first) > 1:  # an initialism is read letter by letter
        vowel_sound = first[0] in "AEFHILMNORSX"
    else:
        vowel_sound = first[:1].lower() in "aeio" or first.lower().startswith(("hour", "honest"))
    return f"{'an' if vowel_sound else 'a'} {phrase}"


def deal(label: str) -> str:
    """An agreement's label as a noun phrase: "force pledge", "aid agreement"."""
    return gettext(_english_deal(label))


def a_deal(label: str) -> str:
    """An agreement's label with its indefinite article: "an aid agreement"."""
    return gettext(_indefinite(_english_deal(label)))


def the_deal(label: str) -> str:
    """An agreement's label with its definite article: "the aid agreement"."""
    phrase = f"the {_english_deal(label)}"  # each label's is marked in `_DEAL_PHRASES`
    return gettext(phrase)


def term(value: object) -> str:
    """A value the rules store ("partial", "lead_nation") as the reader's word for it."""
    known = _TERMS.get(str(value))
    return gettext(known) if known is not None else str(value).replace("_", " ")


def a_mandate(mandate: object) -> str:
    """A mandate ("un", "regional", "none") with its article: "a UN mandate"."""
    return gettext(_MANDATES.get(str(mandate), N_("no mandate")))


def percent(value: object) -> str:
    """A number of percent as the reader's language writes it: "20%" ("20 %")."""
    return _PERCENT.get(_speech.get().language, _PERCENT["en"]).format(in_numbers(str(value)))


def in_numbers(written: str) -> str:
    """A number written by Python's format ("0.42", "+1.5", "62%") as the reader's
    language writes it ("0,42", "+1,5", "62 %")."""
    language = _speech.get().language
    if language == "en":
        return written
    written = written.replace(".", _DECIMAL_MARK.get(language, "."))
    if written.endswith("%"):
        return _PERCENT.get(language, _PERCENT["en"]).format(written[:-1])
    return written


def plural(count: int | float, noun: str) -> str:
    """`count` and `noun` (English singular) agreed in the reader's language: "1 unit"."""
    singular, many = _NOUNS.get(noun, (noun, f"{noun}s"))
    is_one = _SINGULAR.get(_speech.get().language, _SINGULAR["en"])(count)
    return f"{count:g} {gettext(singular if is_one else many)}"


def join_and(words: list[str]) -> str:
    """A list in the reader's language: "A, B and C" ("A, B et C")."""
    if len(words) < 2:
        return "".join(words)
    return gettext(N_("{first} and {last}")).format(first=", ".join(words[:-1]), last=words[-1])


def mid_sentence(names: str) -> str:
    """Names as they read inside a sentence: a leading article in lower case ("Signed by the
    Fenwick Isles", "Arvenia and the Fenwick Isles"; "signé par les Îles Fenwick"); at a
    sentence's start a name keeps the capital it is written with."""
    article = _ARTICLES.get(_speech.get().language)
    if article is None:
        return names
    return article.sub(lambda m: m.group(1) + m.group(2).lower(), names)


# A name's leading article, where a list's names start, in each language that has them.
_ARTICLES: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"(^|, | and )(The )"),
    "fr": re.compile(r"(^|, | et )(Les |Le |La |L['\u2019](?=[A-ZÀ-Ýa-zà-ÿ]))"),
}
# Where a sentence ends in a template's own text: a field after it opens the next one.
_SENTENCE_END = re.compile(r"[.!?]\s+$")
# The specs that say names (here and in the feed's formatter).
NAME_SPECS = frozenset(
    {"nation", "operation", "coalition", "actor", "name", "names", "who", "nations", "unit"}
)
_MID = "~"  # marks a name field that stands inside a sentence


class Formatter(string.Formatter):
    def __init__(self, state: GameState | None) -> None:
        self.state = state

    def vformat(self, format_string: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> str:
        return elide(super().vformat(format_string, args, kwargs))

    def parse(self, format_string: str) -> Iterator[tuple[str, str | None, str | None, str | None]]:
        """The template's parts, each name field not opening a sentence marked as such."""
        opening = True
        for literal, field, spec, conversion in super().parse(format_string):
            if literal:
                opening = bool(_SENTENCE_END.search(literal))
            if field is not None and not opening and spec in NAME_SPECS:
                spec = _MID + spec
            yield literal, field, spec, conversion
            if field is not None:
                opening = False

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith(_MID):
            return mid_sentence(self.format_field(value, format_spec[len(_MID) :]))
        said = self.field(value, format_spec)
        if format_spec in ("names", "nations"):  # after the first, a name is mid-sentence
            return said[:1] + mid_sentence(said)[1:]
        return said

    def field(self, value: Any, format_spec: str) -> str:
        kind, _, rest = format_spec.partition(":")
        if kind in ("nation", "operation", "coalition", "actor", "name"):
            return name_of(self.state, str(value))
        if kind == "names":
            return ", ".join(name_of(self.state, str(v)) for v in value)
        if kind == "list":
            return ", ".join(str(v) for v in value)
        if kind == "count":
            return plural(value, rest)
        if kind == "a_deal":  # an agreement's label: "an aid agreement", "a force pledge"
            return a_deal(str(value))
        if kind == "the_deal":
            return the_deal(str(value))
        if kind == "deal":
            return deal(str(value))
        if kind == "term":
            return term(value)
        if kind == "a_mandate":
            return a_mandate(value)
        if kind == "percent":
            return percent(value)
        if kind == "signed":
            return in_numbers(format(value, "+" + (rest or "g")))
        said = str(super().format_field(value, format_spec))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return in_numbers(said)
        return said


class Said(dict[str, Any]):
    """The parameters handed to a word function, with `.say(template)` to format a part
    (the template translated first: mark its literal with `N_`)."""

    def __init__(self, params: Mapping[str, Any], state: GameState | None) -> None:
        super().__init__(params)
        self.state = state

    def say(self, template: str, **more: Any) -> str:
        return Formatter(self.state).vformat(gettext(template), (), {**self, **more})


def say(said: Words, params: Mapping[str, Any], state: GameState | None) -> str:
    """Words (a template or a function of the parameters) said with `params`, in the
    reader's language."""
    if callable(said):
        return str(said(Said(params, state)))
    return Formatter(state).vformat(gettext(said), (), dict(params))
