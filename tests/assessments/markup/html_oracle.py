"""Compare two pieces of HTML as a browser reads them: the differential tests' shared helper.

The markup modules (assessments/markup/) write by hand what a library writes: crispy-forms-gds,
Django's admin templates, or the project's own templates before the switch. The tests render both
and compare them with `differences`, which parses each into tokens (tags with their attributes,
end tags, text) and diffs the token lists. Parsing removes only what a browser also ignores:

- white space that CSS collapses away: a run of white space counts as one space, and it is kept
  only between two pieces of text on the same line, that is with nothing but phrasing elements
  (span, strong, a, abbr and the like) between them, as in `Change<span> LG01</span>` or
  `Error:</span> Enter a date`. Next to any other element (div, p, label, input, textarea...) it
  is dropped: it is indentation, or falls at the start or end of a line;
- how a character is written (`&#x27;`, `&#39;` or `'`);
- the order of attributes, and the order of class names (a class attribute is a set);
- how a boolean attribute is written (`checked` or `checked="checked"`);
- white space inside a list of ids (aria-describedby), whose order is kept: screen readers read
  the descriptions in that order;
- an absent `value` on a text or hidden input, which is the empty value;
- the one new line after `<textarea>`, which HTML drops; the rest of a textarea's text is kept
  exactly.

Anything else, including a renamed element, a missing attribute or different text, is a difference.
A test that must first rewrite one side (a difference it accepts on purpose) parses with `parse`,
rewrites the tokens, and passes them through `settle_spaces` to `differences`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

BOOLEAN_ATTRIBUTES = frozenset(
    {"checked", "disabled", "hidden", "multiple", "novalidate", "open", "readonly", "required", "selected"}
)
ID_LIST_ATTRIBUTES = frozenset({"aria-describedby", "aria-labelledby", "aria-controls"})
# Input types whose value is empty when the attribute is absent (a checkbox's or radio's is "on").
EMPTY_BY_DEFAULT = frozenset({"text", "hidden", "search", "email", "tel", "url", "password", "number"})
# Elements that sit inside a line of text without breaking it or being content themselves.
PHRASING = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q",
        "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    }
)  # fmt: skip
SPACE = " "


@dataclass
class Start:
    """An opening (or void) tag and its attributes, already normalised."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)

    def classes(self) -> set[str]:
        """The element's class names."""
        return set(self.attrs.get("class", "").split())

    def __str__(self) -> str:
        attrs = "".join(f' {name}="{value}"' for name, value in sorted(self.attrs.items()))
        return f"<{self.tag}{attrs}>"


@dataclass(frozen=True)
class End:
    """A closing tag."""

    tag: str

    def __str__(self) -> str:
        return f"</{self.tag}>"


@dataclass(frozen=True)
class Text:
    """Text between tags: white space collapsed (settled by settle_spaces), or a textarea's exact text."""

    text: str
    exact: bool = False

    def __str__(self) -> str:
        return repr(self.text)


Token = Start | End | Text


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []
        self._textarea_opened = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values: dict[str, str] = {}
        for name, value in attrs:
            if name in BOOLEAN_ATTRIBUTES:
                values[name] = ""
            elif name == "class":
                values[name] = " ".join(sorted(set((value or "").split())))
            elif name in ID_LIST_ATTRIBUTES:
                values[name] = " ".join((value or "").split())
            else:
                values[name] = value or ""
        if tag == "input" and values.get("type", "text") in EMPTY_BY_DEFAULT:
            values.setdefault("value", "")
        self.tokens.append(Start(tag, values))
        self._textarea_opened = tag == "textarea"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._textarea_opened = False
        self.tokens.append(End(tag))

    def handle_data(self, data: str) -> None:
        if self._textarea_opened:
            self._textarea_opened = False
            text = data.removeprefix("\r\n").removeprefix("\n")
            if text:
                self.tokens.append(Text(text, exact=True))
            return
        collapsed = " ".join(data.split())
        if data[:1].isspace():
            collapsed = SPACE + collapsed
        if data[-1:].isspace() and collapsed != SPACE:
            collapsed += SPACE
        self.tokens.append(Text(collapsed))


def parse(html: str) -> list[Token]:
    """The markup as tokens, attributes normalised, white space in text collapsed but not yet settled."""
    parser = _Parser()
    parser.feed(str(html))
    parser.close()
    return parser.tokens


def settle_spaces(parsed: Iterable[Token]) -> list[Token]:
    """Keep white space only where it separates two pieces of text on one line (module docstring)."""
    settled: list[Token] = []
    after_text = False  # the last content was text, with only phrasing tags since
    space_pending = False  # and white space has followed it
    for token in parsed:
        if isinstance(token, Text) and not token.exact:
            words = token.text.strip()
            if not words:
                space_pending = space_pending or after_text
                continue
            if after_text and (space_pending or token.text.startswith(SPACE)):
                settled.append(Text(SPACE))
            settled.append(Text(words))
            after_text, space_pending = True, token.text.endswith(SPACE)
            continue
        settled.append(token)
        if not (isinstance(token, Start | End) and token.tag in PHRASING):
            after_text = space_pending = False
    return settled


def tokens(html: str) -> list[Token]:
    """The markup as normalised tokens (see the module docstring for what is normalised)."""
    return settle_spaces(parse(html))


def differences(expected: str | list[Token], actual: str | list[Token]) -> list[str]:
    """The lines of a diff between two pieces of markup, empty when a browser would see the same.

    Either side may be HTML or the result of `tokens` or `settle_spaces`.
    """
    before = [str(token) for token in (tokens(expected) if isinstance(expected, str) else expected)]
    after = [str(token) for token in (tokens(actual) if isinstance(actual, str) else actual)]
    if before == after:
        return []
    return list(difflib.unified_diff(before, after, "expected", "actual", lineterm="", n=2))
