"""The round picker: the rounds a page offers, and the one a `?round=` parameter asks for.

Every page with a round picker (the overviews, the regional and national reports, the exports) reads
its rounds here, and every `round` parameter, in a GET or a POST, is read by `round_choice`. What a
page does when the parameter names no round is its own choice: the overviews show the current round,
the reports answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import Round

# The largest key a round can have (a BigAutoField: PostgreSQL's bigint, SQLite's integer). A larger
# number names no round, and SQLite cannot even be asked about it.
MAX_ROUND_ID = 2**63 - 1
_MAX_ROUND_ID_DIGITS = len(str(MAX_ROUND_ID))


def round_id_from(value: object) -> int | None:
    """The round id a request parameter gives, or None when it cannot be one.

    Only ASCII digits make an id. str.isdigit() alone also accepts "²" and "①", which int() then
    refuses (a server error), and "٣", which int() reads as 3; so the text must be ASCII as well.
    Text longer than the largest id is refused before int() sees it: Python will not convert more
    than 4,300 digits, and nothing that long is a round.
    """
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()):
        return None
    if len(value) > _MAX_ROUND_ID_DIGITS:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ROUND_ID else None


@dataclass(frozen=True)
class RoundChoice:
    """The rounds a round picker offers, newest first, and what the request asked for."""

    rounds: list[Round]
    asked: bool  # a non-blank round parameter was sent
    requested: Round | None  # the round it names; None when it was blank, malformed or unknown

    @property
    def newest(self) -> Round | None:
        """The most recently opened round, if any."""
        return self.rounds[0] if self.rounds else None

    @property
    def current(self) -> Round | None:
        """The newest round still open, else the newest round."""
        return next((candidate for candidate in self.rounds if candidate.is_open), self.newest)


def round_choice(asked_for: str | None = None) -> RoundChoice:
    """Every round newest first, with its plan, and the one `asked_for` (a request parameter) names.

    One query, whatever the parameter holds: a malformed value never reaches the database.
    """
    rounds = list(Round.objects.select_related("plan").order_by("-opens_on", "-pk"))
    round_id = round_id_from(asked_for)
    requested = next((candidate for candidate in rounds if candidate.pk == round_id), None)
    return RoundChoice(rounds=rounds, asked=bool(asked_for), requested=requested)
