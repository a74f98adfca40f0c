"""What the admin markup tests share: hostile text, and HTML read as tokens for comparison.

NASTY is text a user could type that breaks markup unless escaped; ESCAPED is what escaping makes of it.
`markup` reads HTML as its tags, attributes, entity references and text, so two renderings compare equal
when a browser would read them the same way (white space aside).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import django.contrib.admin

NASTY = "<script>alert(\"x\")</script> & 'quoted'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"
DJANGO_ADMIN_TEMPLATES = Path(django.contrib.admin.__file__).parent / "templates" / "admin"


class _Markup(HTMLParser):
    """Tags, attributes, entity references and text, with runs of white space as one space."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tokens: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("start", tag, *(f"{name}={value}" for name, value in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("end", tag))

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.tokens.append(("text", text))

    def handle_entityref(self, name: str) -> None:
        self.tokens.append(("entity", name))

    def handle_charref(self, name: str) -> None:
        self.tokens.append(("char", name))


def markup(html: str) -> list[tuple[str, ...]]:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.tokens
