"""Compare two pieces of HTML as a browser reads them: the differential tests' shared helper.

The markup modules (assessments/markup/) write by hand what a library writes: crispy-forms-gds,
Django's admin templates, or the project's own templates before the switch. The tests render both
and compare them with `differences`, which parses each into tokens (tags with their attributes,
end tags, text) and diffs the token lists. Parsing removes only what a browser also ignores:

- white space between and around tags, and runs of white space inside text (a textarea keeps its
  text exactly, less the one new line after `<textarea>` that HTML drops);
- how a character is written (`&#x27;`, `&#39;` or `'`);
- the order of attributes, and the order of class names (a class attribute is a set);
- how a boolean attribute is written (`checked` or `checked="checked"`);
- white space inside a list of ids (aria-describedby), whose order is kept: screen readers read
  the descriptions in that order;
- an absent `value` on a text or hidden input, which is the empty value.

Anything else, including a renamed element, a missing attribute or different text, is a difference.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from html.parser import HTMLParser

BOOLEAN_ATTRIBUTES = frozenset(
    {"checked", "disabled", "hidden", "multiple", "novalidate", "open", "readonly", "required", "selected"}
)
ID_LIST_ATTRIBUTES = frozenset({"aria-describedby", "aria-labelledby", "aria-controls"})
# Input types whose value is empty when the attribute is absent (a checkbox's or radio's is "on").
EMPTY_BY_DEFAULT = frozenset({"text", "hidden", "search", "email", "tel", "url", "password", "number"})


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
    """Text between tags, its white space collapsed (except in a textarea)."""

    text: str

    def __str__(self) -> str:
        return repr(self.text)


Token = Start | End | Text


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []
        self._in_textarea = False

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
        self._in_textarea = tag == "textarea"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._in_textarea = False
        self.tokens.append(End(tag))

    def handle_data(self, data: str) -> None:
        if self._in_textarea:
            text = data.removeprefix("\r\n").removeprefix("\n")
            self._in_textarea = False  # only the first piece of text loses its new line
            if text:
                self.tokens.append(Text(text))
            return
        text = " ".join(data.split())
        if text:
            self.tokens.append(Text(text))


def tokens(html: str) -> list[Token]:
    """The markup as normalised tokens (see the module docstring for what is normalised)."""
    parser = _Tokens()
    parser.feed(str(html))
    parser.close()
    return parser.tokens


def differences(expected: str | list[Token], actual: str | list[Token]) -> list[str]:
    """The lines of a diff between two pieces of markup, empty when a browser would see the same.

    Either side may be HTML or tokens already made (and perhaps rewritten) by `tokens`.
    """
    before = [str(token) for token in (tokens(expected) if isinstance(expected, str) else expected)]
    after = [str(token) for token in (tokens(actual) if isinstance(actual, str) else actual)]
    if before == after:
        return []
    return list(difflib.unified_diff(before, after, "expected", "actual", lineterm="", n=2))
