"""The checks every rendered page goes through find what they are for."""

from __future__ import annotations

from werkzeug.wrappers import Response

from tests.support.pages import problems_with

GOOD = """<!DOCTYPE html><html lang="cy"><head><title>Eich gofal – Eich gofal a chymorth</title>
<meta name="description" content="Gweld eich cynllun gofal a chymorth ac ymweliadau gofal cartref.">
</head><body><h1>Eich gofal</h1><p><time datetime="2026-12-03T23:40:00Z">3 Rhagfyr</time></p>
<script nonce="abc">1</script></body></html>"""


def page(html: str, nonce: str = "abc") -> Response:
    return Response(html, content_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": f"script-src 'self' 'nonce-{nonce}'"})


def test_a_good_page_has_no_problems() -> None:
    assert problems_with(page(GOOD)) == []


def test_each_kind_of_problem_is_found() -> None:
    bad = GOOD.replace('lang="cy"', "").replace("<p>", '<p id="a"><span id="a"></span>')
    bad = bad.replace('name="description"', 'name="keywords"')
    bad = bad.replace("23:40:00Z", "23:40:00.123456+00:00").replace("</body>",
                      "<p>&lt;strong class=&quot;govuk-tag&quot;&gt;Hwyr&lt;/strong&gt;</p>"
                      "<h1>Two</h1></body>")
    found = " | ".join(problems_with(page(bad, nonce="other")))
    for expected in ("html has no lang", "2 h1 elements", "id 'a' is used 2 times",
                     "a script without the page's nonce", "is not an HTML time",
                     "markup shown as text", "no meta description"):
        assert expected in found


def test_a_title_that_does_not_begin_with_the_h1_and_broken_html_are_found() -> None:
    bad = GOOD.replace("<title>Eich gofal", "<title>Help").replace("<p>", "<p><div></span>")
    found = " | ".join(problems_with(page(bad)))
    assert "does not begin with the h1" in found and "invalid HTML" in found
