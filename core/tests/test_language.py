"""The bokmål interface speaks bokmål, counts with the right plural and writes
numbers and dates the Norwegian way.

The main pages are rendered in bokmål with the bundled dataset and one record
of each kind added. What a reader sees (text, and the aria-label, title, alt
and placeholder attributes) is searched for common English interface words
that are not also Norwegian. Text that is data is left out: anything a record
in the database holds (an organisation called "NORCE Norwegian Research
Centre", an English project title), web and file addresses, ``<code>``, and
elements marked with another language (``lang="en"``).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.template import Context, Template
from django.utils import timezone, translation

pytestmark = pytest.mark.django_db

#: Common English interface words. None of them is a bokmål word a page would
#: use ("for", "at", "by", "to", "start", "status", "type", "data", "plan",
#: "partner", "last" and "all" are, and are left out).
_WORDS = """
    the and of with without or not is are was were be been this these those from into on in
    your you our we it its which what when where who how any each every other only also than
    there here yes
    sort sorted sorting filter filters search searched show showing hide edit delete remove
    add save cancel back next previous page pages history none unknown recorded
    active inactive meeting meetings download downloads upload name names year years member
    members partnership partnerships organisation organisations organization municipality
    municipalities activity activities event events people research need needs kind role
    roles lead contact email phone date dates details open closed trash restore sign login
    logout language change overview report compare network gap gaps theme themes source
    sources link links clear apply submit export upcoming past calendar subscribe feed count
    number share map table chart body bodies agreement agreements result results partners
    institution institutions county counties about help note notes created changed deleted
    updated first new old view list item items never until
"""
ENGLISH = frozenset(_WORDS.split())
#: Python's own words, as a value printed raw shows them. Only capitalised: in
#: lower case "true" and "false" are the values a data file holds, which the
#: data dictionary names.
PYTHON_WORDS = frozenset({"True", "False", "None"})

#: Names of things that are English in Norwegian too.
PROPER_NAMES = (
    "Google Calendar",
    "Apple Calendar",
    "Research Organization Registry",
    "Microsoft Excel",
)

#: Elements whose content is not interface text.
SKIPPED = {"script", "style", "code", "pre", "template", "kbd", "samp"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}
ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")

ADDRESS = re.compile(
    r"(?:https?://|webcal://|mailto:|www\.)\S+"  # web addresses
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:no|org|com|net|eu|io|zip|csv|json|jsonld|xlsx|ics|txt|md)\b\S*"
)
WORD = re.compile(r"[^\W\d_]+(?:[-_'’][^\W\d_]+)*")


class VisibleText(HTMLParser):
    """The text a reader sees or hears, one piece per text node or attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []
        self.pieces: list[str] = []

    def skipping(self) -> bool:
        return any(skip for _tag, skip in self.open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        language = (attrs.get("lang") or "nb").lower()
        skip = tag in SKIPPED or language.split("-")[0] not in ("nb", "no")
        if not (skip or self.skipping()):
            self.pieces += [attrs[name] for name in ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.pieces.append(attrs["value"])
        if tag not in VOID:
            self.open.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return

    def handle_data(self, data):
        if data.strip() and not self.skipping():
            self.pieces.append(data)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [" ".join(piece.split()) for piece in parser.pieces]


def is_english(word: str) -> bool:
    if word in PYTHON_WORDS:
        return True
    return word.lower() in ENGLISH and "_" not in word  # code_names are not words


def english_words(text: str) -> set[str]:
    return {word for word in WORD.findall(text) if is_english(word)}


@pytest.fixture
def data_texts() -> list[str]:
    return record_texts()


def record_texts() -> list[str]:
    """Texts of records that contain one of the English words, longest first.

    Names, titles and descriptions are data, in whatever language their owner
    wrote them; only they may bring English words onto a bokmål page.
    """
    texts: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label in {"admin", "auth", "contenttypes", "sessions"}:
            continue
        if model.__name__.startswith("Historical"):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if not fields:
            continue
        manager = getattr(model, "all_objects", model._default_manager)
        for row in manager.values_list(*fields):
            for value in row:
                if value and isinstance(value, str):
                    value = " ".join(value.split())
                    if english_words(value):
                        texts.add(value)
    return sorted(texts, key=len, reverse=True)


def offending_words(html: str, data: list[str]) -> dict[str, str]:
    """English interface words on the page: {word: the text it stands in}.

    A word is data when the text around it is a record's text: the whole
    text, or (for names cut short with "…", as search snippets do) the word
    and its neighbour as they stand in some record.
    """
    found: dict[str, str] = {}
    corpus = "\n".join(data)
    for piece in visible_text(html):
        text = ADDRESS.sub(" ", piece)
        for value in (*data, *PROPER_NAMES):
            if value in text:
                text = text.replace(value, " ")
        words = list(WORD.finditer(text))
        for i, match in enumerate(words):
            if not is_english(match.group()):
                continue
            neighbours = [words[j] for j in (i - 1, i + 1) if 0 <= j < len(words)]
            if any(
                text[min(match.start(), n.start()) : max(match.end(), n.end())] in corpus
                for n in neighbours
            ):
                continue
            found.setdefault(match.group(), piece[:160])
    return found


@pytest.fixture
def records(partnership, drammen, usn, theme):
    """One record of each kind that the lists show, public, tied to Drammen."""
    from activities.models import Activity, ActivityOrganisation
    from events.models import Event
    from needs.models import Need
    from organisations.models import Affiliation, Person

    person = Person.objects.create(name="Kari Nordmann", is_public=True)
    Affiliation.objects.create(
        person=person,
        organisation=usn,
        title="Førsteamanuensis",
        valid_from=datetime.date(2020, 8, 1),
    )
    activity = Activity.objects.create(
        title="Samskaping i hjemmetjenesten",
        activity_type="research_project",
        status="ongoing",
        summary="Et prosjekt om samskaping.",
        start_date=datetime.date(2024, 1, 15),
        professional_owner=drammen,
        funding_amount=Decimal("1500000.00"),
    )
    activity.partnerships.add(partnership)
    activity.themes.add(theme)
    ActivityOrganisation.objects.create(activity=activity, organisation=usn, role="partner")
    need = Need.objects.create(
        title="Hvordan beholde sykepleiere i hjemmetjenesten?",
        description="Vi trenger kunnskap om hva som får sykepleiere til å bli.",
        organisation=drammen,
        partnership=partnership,
        suited_for=["thesis"],
        deadline=timezone.localdate() + datetime.timedelta(days=60),
    )
    start = timezone.now() + datetime.timedelta(days=10)
    event = Event.objects.create(
        title="Dialogmøte om helse",
        kind="dialogue_meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        location="Rådhuset, Drammen",
        organiser=drammen,
        partnership=partnership,
    )
    event.themes.add(theme)
    return {"activity": activity, "need": need, "event": event, "person": person}


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("language-admin", "admin@example.org", "x")
    client.force_login(admin)
    return client


PAGES = [
    "/",
    "/partnerships/",
    "/partnerships/usn-drammen/",
    "/organisations/",
    "/organisations/drammen/",
    "/organisations/usn/",
    "/organisations/vestland/",
    "/compare/?p=usn-drammen&p=alesund",
    "/activities/",
    "/research-needs/",
    "/events/",
    "/events/?when=past",
    "/people/",
    "/insights/gaps/",
    "/insights/motor-municipalities/",
    "/report/",
    "/search/?q=helse",
    "/network/",
    "/open-data/",
    "/accounts/login/",
]


def assert_bokmal(client, url: str, data: list[str]) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    found = offending_words(response.content.decode(), data)
    assert not found, f"English on {url}: " + "; ".join(
        f"{word!r} in {text!r}" for word, text in sorted(found.items())
    )


@pytest.mark.parametrize("url", PAGES)
def test_main_pages_have_no_english_interface_words(client, records, data_texts, url):
    assert_bokmal(client, url, data_texts)


@pytest.mark.parametrize("kind", ["activity", "need", "event", "person"])
def test_record_pages_have_no_english_interface_words(client, records, data_texts, kind):
    assert_bokmal(client, records[kind].get_absolute_url(), data_texts)


@pytest.mark.parametrize(
    "url",
    [
        "/trash/",
        "/accounts/me/",
        "/import/",
        "/import/history/",
        "/api/tokens/",
        "/activities/add/",
        "/research-needs/add/",
        "/events/add/",
        "/people/add/",
    ],
)
def test_pages_for_editors_have_no_english_interface_words(admin_client, data_texts, url):
    assert_bokmal(admin_client, url, data_texts)


def test_the_check_finds_english_and_leaves_data_alone(data_texts):
    assert "NORCE Norwegian Research Centre" in data_texts
    html = (
        '<main><h2>Sort by name</h2><a href="https://example.org/the-page">Les mer</a>'
        '<button aria-label="Delete the record">x</button><code>Show</code>'
        '<span lang="en">English</span><p>NORCE Norwegian Research Centre</p>'
        "<p>Universitetet i Agder, NORCE Norwegian Research …</p>"
        "<p>Offentlig: True. Verdien er true eller false.</p></main>"
    )
    assert set(offending_words(html, data_texts)) == {"Sort", "name", "Delete", "the", "True"}


# --- plurals ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "singular", "plural"),
    [
        ("/activities/", "1 aktivitet", "1 aktiviteter"),
        ("/research-needs/", "1 behov", None),
        ("/events/", "1 kommende møteplass", "1 kommende møteplasser"),
        ("/people/", "1 person", "1 personer"),
        ("/search/?q=samskaping", "1 treff", None),
    ],
)
def test_one_item_is_counted_in_the_singular(client, records, url, singular, plural):
    html = client.get(url).content.decode()
    assert singular in html
    if plural:
        assert plural not in html


def test_an_organisation_with_one_activity_says_so_in_the_singular(client, records):
    html = client.get("/organisations/drammen/").content.decode()
    assert "1 aktivitet som" in html and "1 aktiviteter" not in html


# --- empty lists -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "nothing"),
    [
        ("/activities/", "Ingen aktiviteter er registrert ennå."),
        ("/research-needs/", "Ingen åpne forskningsbehov er registrert ennå."),
        ("/events/", "Ingen kommende møteplasser er registrert ennå."),
        ("/events/?when=past", "Ingen tidligere møteplasser er registrert ennå."),
        ("/people/", "Ingen personer er registrert ennå."),
    ],
)
def test_an_empty_list_says_whether_nothing_exists_or_the_filters_hide_it(client, url, nothing):
    from activities.models import Activity
    from events.models import Event
    from needs.models import Need
    from organisations.models import Person

    for model in (Activity, Need, Event, Person):
        model.objects.all().delete()
    html = client.get(url).content.decode()
    assert nothing in html
    assert "Ingenting passer med disse filtrene" not in html

    separator = "&" if "?" in url else "?"
    html = client.get(f"{url}{separator}q=finnesikke").content.decode()
    assert "Ingenting passer med disse filtrene" in html
    assert nothing not in html
    clear = "/events/?when=past" if "when=past" in url else url
    assert f'<a href="{clear}">fjern filtrene</a>' in html


def test_an_empty_filter_form_is_not_a_filter(client):
    from core.filtering import filter_state

    class Request:
        path = "/events/"

        def __init__(self, query):
            from django.http import QueryDict

            self.GET = QueryDict(query)

    assert not filter_state(Request("q=&kind=&page=2")).active
    assert filter_state(Request("kind=seminar")).active
    state = filter_state(Request("when=past&kind=seminar&page=3"))
    assert state.active and state.clear_url == "/events/?when=past"
    assert state.keep == [("when", "past")]


# --- numbers, dates, labels ------------------------------------------------


def render(source: str, **context) -> str:
    return Template("{% load unikom %}" + source).render(Context(context))


def test_numbers_are_written_the_norwegian_way():
    with translation.override("nb"):
        assert render("{{ n|number }}", n=2500) == "2500"
        assert render("{{ n|number }}", n=12345) == "12\xa0345"
        assert render("{{ n|number }}", n=Decimal("0.80")) == "0,8"
        assert render("{{ n|number }}", n=Decimal("1500000.00")) == "1\xa0500\xa0000"
        assert render("{{ n|year }}", n=2015) == "2015"
    with translation.override("en"):
        assert render("{{ n|number }}", n=Decimal("0.80")) == "0.8"
        assert render("{{ n|number }}", n=12345) == "12,345"


def test_periods_are_written_in_norwegian_without_stray_dashes():
    start, end = datetime.date(2025, 2, 3), datetime.date(2027, 6, 30)
    with translation.override("nb"):
        tag = "{% date_range a b %}"
        assert render(tag, a=start, b=end) == "3. februar 2025 – 30. juni 2027"
        assert render(tag, a=start, b=None) == "fra 3. februar 2025"
        assert render(tag, a=None, b=end) == "til 30. juni 2027"
        assert render(tag, a=None, b=None) == ""


def test_a_name_is_not_followed_by_the_same_kind():
    tag = "{% name_and_kind name kind %}"
    assert render(tag, name="Styringsgruppe", kind="styringsgruppe") == "Styringsgruppe"
    assert render(tag, name="Arbeidsutvalget", kind="Arbeidsgruppe") == (
        "Arbeidsutvalget (Arbeidsgruppe)"
    )
    assert render(tag, name="Rådet", kind="") == "Rådet"


def test_record_pages_show_norwegian_dates_and_amounts(client, records):
    html = client.get(records["activity"].get_absolute_url()).content.decode()
    assert "15. januar 2024" in html
    assert "1\xa0500\xa0000" in html
    assert "Ikke registrert" in html  # the missing end date, not a dash
    html = client.get(records["person"].get_absolute_url()).content.decode()
    assert "fra 1. august 2020" in html


@pytest.mark.django_db
def test_visitors_never_see_command_line_instructions(client):
    """Commands belong in the docs for administrators, not on public pages."""
    from partnerships.dataset import load_bundled

    load_bundled()
    for url in ("/", "/open-data/", "/partnerships/", "/report/", "/about-the-compilation/"):
        html = client.get(url).content.decode()
        text = re.sub(r"<[^>]+>", " ", html)
        command = re.search(
            r"\bunikom (refdata|setup|export|demo|serve|roles|report|import|search|overview)\b",
            text,
        )
        assert command is None, (url, command and command.group(0))
