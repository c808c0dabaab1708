import pytest

from search.query import parse
from search.service import highlight

pytestmark = pytest.mark.django_db


def test_matching_words_are_marked_in_every_inflected_form():
    snippet = highlight("Et nytt sykehjem og to sykehjemmene", parse("sykehjemmet"))
    assert str(snippet) == "Et nytt <mark>sykehjem</mark> og to <mark>sykehjemmene</mark>"


def test_prefix_matches_are_marked():
    assert "<mark>barnevernet</mark>" in highlight("Om barnevernet", parse("barnev*"))


def test_html_in_the_text_is_escaped_around_the_marks():
    snippet = str(highlight("<script>alert(1)</script> helse", parse("helse")))
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert snippet.endswith("<mark>helse</mark>")


def test_the_snippet_is_a_window_around_the_first_match():
    text = " ".join(["ord"] * 100 + ["sykehjem"] + ["ord"] * 100)
    snippet = str(highlight(text, parse("sykehjem")))
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>sykehjem</mark>" in snippet


def test_the_results_page_shows_marked_snippets(english):
    body = english.get("/search/?q=helse").content.decode()
    assert "<mark>" in body
