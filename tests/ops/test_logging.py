"""The JSON formatter writes one object per line with a fixed set of fields and no personal data."""

from __future__ import annotations

import json
import logging
import sys

from ops.logging import JsonFormatter, RequestContext, bind_request, clean_path, scrub, unbind_request


def record(message: str, *args: object, exc_info=None, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("msoic.test", logging.INFO, __file__, 1, message, args, exc_info)
    for key, value in extra.items():
        setattr(made, key, value)
    return made


def formatted(made: logging.LogRecord) -> dict:
    line = JsonFormatter().format(made)
    assert "\n" not in line
    return json.loads(line)


def test_a_request_line_has_the_documented_fields():
    entry = formatted(
        record(
            "GET /forces/ 200",
            request_id="abc",
            method="GET",
            path="/forces/",
            status=200,
            duration_ms=12.345,
            user_id=7,
        )
    )
    assert entry["level"] == "INFO"
    assert entry["logger"] == "msoic.test"
    assert entry["message"] == "GET /forces/ 200"
    assert entry["time"].endswith("+00:00")
    assert {k: entry[k] for k in ("request_id", "method", "path", "status", "duration_ms", "user_id")} == {
        "request_id": "abc",
        "method": "GET",
        "path": "/forces/",
        "status": 200,
        "duration_ms": 12.3,
        "user_id": 7,
    }


def test_email_addresses_and_query_strings_never_reach_the_line():
    entry = formatted(
        record(
            "Lookup for %s from /account/sign-in/?next=/x&email=a.b@force.police.uk failed",
            "Sam.Spoc@force.police.uk",
            path="/account/sign-in/?email=sam@force.police.uk",
        )
    )
    line = json.dumps(entry)
    assert "force.police.uk" not in line
    assert "next=" not in line
    assert entry["path"] == "/account/sign-in/"
    assert entry["message"] == "Lookup for [email] from /account/sign-in/?[redacted] failed"


def test_only_a_numeric_user_id_is_written():
    assert "user_id" not in formatted(record("x", user_id="sam@force.police.uk"))
    assert "user_id" not in formatted(record("x", user_id=True))
    assert formatted(record("x", user_id=3))["user_id"] == 3


def test_unknown_extra_fields_are_not_written():
    entry = formatted(record("x", password="hunter2", email="a@b.example", body="secret"))
    assert set(entry) == {"time", "level", "logger", "message", "request_id"}


def test_exceptions_are_included_but_scrubbed():
    try:
        raise ValueError("duplicate key (email)=(sam@force.police.uk)")
    except ValueError:
        entry = formatted(record("failed", exc_info=sys.exc_info()))
    assert "ValueError" in entry["exception"]
    assert "sam@force.police.uk" not in entry["exception"]


def test_lines_written_during_a_request_carry_its_id_and_a_redacted_path():
    raw = "/account/password-reset/MQ/tok-123/"
    token = bind_request(
        RequestContext(
            request_id="req-9",
            method="GET",
            raw_path=raw,
            loggable_path=lambda: "/account/password-reset/[redacted]/[redacted]/",
        )
    )
    try:
        entry = formatted(record("Not Found: %s", raw))
    finally:
        unbind_request(token)
    assert entry["request_id"] == "req-9"
    assert entry["method"] == "GET"
    assert entry["path"] == "/account/password-reset/[redacted]/[redacted]/"
    assert "tok-123" not in json.dumps(entry)
    assert formatted(record("after"))["request_id"] is None


def test_scrub_leaves_ordinary_text_alone():
    assert scrub("Is the queue empty? Yes, 0 tasks.") == "Is the queue empty? Yes, 0 tasks."
    assert clean_path("/forces/cleveland/") == "/forces/cleveland/"


def test_font_subsetting_stays_out_of_the_log(caplog):
    """WeasyPrint's font subsetter (fontTools) would write hundreds of lines per PDF at INFO and DEBUG."""
    from assessments.reports.pdf import render_pdf

    with caplog.at_level(logging.DEBUG):
        pdf = render_pdf(
            "<html lang='en'><head><style>body { font-family: 'Liberation Sans' }</style></head>"
            "<body><h1>Title</h1><p>Text</p></body></html>",
            title="T",
        )
    assert pdf.startswith(b"%PDF")
    assert logging.getLogger("fontTools.subset").getEffectiveLevel() >= logging.WARNING
    assert not [r for r in caplog.records if r.name.startswith("fontTools") and r.levelno < logging.WARNING]
