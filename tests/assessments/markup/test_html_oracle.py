"""The differential tests' comparison: it ignores what a browser ignores, and reports the rest."""

from __future__ import annotations

from tests.assessments.markup.html_oracle import End, Start, Text, differences, tokens


def test_the_comparison_ignores_only_what_a_browser_ignores():
    same = [
        ('<p class="a b">x &amp; y</p>', '<p class="b  a">\n  x &#38; y </p>'),
        ('<input type="radio" checked="checked">', "<input checked type=radio>"),
        ('<input type="text" name="n">', '<input name="n" type="text" value="">'),
        ('<input aria-describedby=" a  b">', '<input aria-describedby="a b">'),
        ("<textarea>\nsome text</textarea>", "<textarea>some text</textarea>"),
        ("<p>Change <span> LG01 </span> </p>", "<p>Change<span> LG01</span></p>"),  # one space
        ("<div>\n  <label> Name </label>\n  <input>\n</div>", "<div><label>Name</label><input></div>"),
    ]
    for one, other in same:
        assert differences(one, other) == [], (one, other)
    different = [
        ("<p>Change<span> LG01</span></p>", "<p>Change<span>LG01</span></p>"),  # "ChangeLG01"
        ("<p>Planned <strong>Late</strong></p>", "<p>Planned<strong>Late</strong></p>"),
        ('<input aria-describedby="a b">', '<input aria-describedby="b a">'),  # read in that order
        ('<input type="checkbox">', '<input type="checkbox" value="">'),  # a checkbox's value is "on"
        ("<textarea>\n\ntext</textarea>", "<textarea>\ntext</textarea>"),  # a typed leading new line
        ("<p>a b</p>", "<p>ab</p>"),
        ("<p>x</p>", "<div>x</div>"),
    ]
    for one, other in different:
        assert differences(one, other) != [], (one, other)
    assert tokens("<p id=a>x</p>") == [Start("p", {"id": "a"}), Text("x"), End("p")]
