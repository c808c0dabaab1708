"""Needs ↔ expertise: who could answer a need, and which open needs fit whom.

For a need: the activities most like it (discovery.related), then the
academic units and people behind them — an institution or a part of one
earns the score of every fitting activity it owns or takes part in; a public
person with a current academic post earns the score of the fitting activities
they have a role in, and their own text score when the words of their post
("Institutt for sykepleie") match the need. A unit in the need's own
partnership gets a bonus: it already has an agreement with whoever posted it.

For an institution or a researcher: a profile built from the stems of their
activities and the units and titles of their posts; the open needs (open or
in dialogue) that share its most distinctive stems, with a small bonus for a
need in one of their themes or partnerships.

Every match carries its reasons. Fixed number of queries on every page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from activities.models import Activity, ActivityOrganisation, ActivityPerson
from discovery import facts as facts_module
from discovery.related import MIN_TEXT, Related, rank
from discovery.similarity import Hit, Profile, more_like_this, written_forms
from needs.choices import NeedStatus
from organisations.models import Affiliation, Organisation, Person, affiliation_is_current
from partnerships.models import Membership
from search.models import SearchDocument

OPEN = [NeedStatus.OPEN, NeedStatus.IN_DIALOGUE]
EVIDENCE = 15  # best activities whose units and people are credited
PARTNER_BONUS = 0.3  # a unit that is a member of the need's partnership
PERSON_TEXT_WEIGHT = 1.0
UNIT_SHOWN = 5
PEOPLE_SHOWN = 5
ACTIVITIES_SHOWN = 5
NEEDS_SHOWN = 3
PROFILE_DOCUMENTS = 200  # latest activities (and posts) read to build a profile
THEME_WEIGHT = 0.10
PARTNERSHIP_WEIGHT = 0.10
NEEDS_FOR_SHOWN = 6
PROFILE_KEY_TERMS = 30  # an institution or a researcher has several subjects
MIN_PROFILE_TEXT = 0.03


@dataclass
class Unit:
    organisation: Organisation
    unit: str = ""
    score: float = 0.0
    activities: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    partnership: str = ""

    @property
    def name(self) -> str:
        return (
            f"{self.unit}, {facts_module.label(self.organisation)}"
            if self.unit
            else (self.organisation.name)
        )


@dataclass
class Expert:
    person: Person
    score: float = 0.0
    posts: list[str] = field(default_factory=list)
    roles: list[tuple[str, str]] = field(default_factory=list)  # (role label, activity title)
    terms: list[str] = field(default_factory=list)


@dataclass
class NeedMatches:
    activities: list[Related]
    needs: list[Related]
    units: list[Unit]
    people: list[Expert]


_Units = dict[tuple[int, str], Unit]
_Posts = dict[int, list[tuple[Organisation, str, str]]]


def _unit(units: _Units, org, name: str = "") -> Unit:
    """The unit ``name`` of ``org`` (the whole organisation if empty), added if new.

    Names are compared without surrounding spaces and case.
    """
    key = (org.pk, name.strip().casefold())
    if key not in units:
        units[key] = Unit(org, name.strip())
    return units[key]


def _credit_activity_units(units: _Units, evidence: list[Related]) -> None:
    """Each academic organisation of a fitting activity earns the activity's score."""
    for r in evidence:
        for org in r.facts.organisations.values():
            if org.academic:
                u = _unit(units, org)
                u.score += r.score
                u.activities.append(r.title)


def _academic_people(person_ids: set[int]) -> tuple[dict[int, Expert], _Posts]:
    """The public people among ``person_ids`` with a current academic post, and those posts.

    Posts are (organisation, unit, title), by person pk.
    """
    posts = Affiliation.objects.filter(
        person_id__in=person_ids, person__is_public=True, person__deleted_at__isnull=True
    ).values(
        "person_id",
        "person__name",
        "person__public_id",
        "title",
        "unit",
        "valid_to",
        *(f"organisation__{f}" for f in facts_module.ORG_FIELDS),
    )
    people: dict[int, Expert] = {}
    academic_posts: _Posts = {}
    for row in posts:
        org = facts_module.organisation(row, "organisation__")
        if org.academic and affiliation_is_current(row["valid_to"]):
            academic_posts.setdefault(row["person_id"], []).append((org, row["unit"], row["title"]))
            people.setdefault(
                row["person_id"],
                Expert(
                    Person(
                        pk=row["person_id"],
                        name=row["person__name"],
                        public_id=row["person__public_id"],
                    )
                ),
            )
    return people, academic_posts


def _credit_roles(people: dict[int, Expert], role_rows: list, score_of: dict[int, Related]) -> None:
    """Each person earns the score of the fitting activities they have a role in."""
    labels = dict(ActivityPerson._meta.get_field("role").choices)
    for activity_id, person_id, role in role_rows:
        if person_id in people:
            expert = people[person_id]
            expert.score += score_of[activity_id].score
            expert.roles.append((str(labels.get(role, role)), score_of[activity_id].title))


def _credit_post_text(
    people: dict[int, Expert], person_hits: dict[int, Hit], profile: Profile
) -> None:
    """Each person whose post's words match the need earns the text score, with the words."""
    for person_id, hit in person_hits.items():
        if person_id in people:
            people[person_id].score += PERSON_TEXT_WEIGHT * hit.text
            people[person_id].terms = written_forms(hit.shared, profile, hit)


def _credit_people_units(units: _Units, people: dict[int, Expert], academic_posts: _Posts) -> None:
    """Write each person's posts; the named unit of a post earns the person's score."""
    for person_id, expert in people.items():
        for org, unit_name, title in academic_posts[person_id]:
            expert.posts.append(", ".join(x for x in (title, unit_name, org.name) if x))
            if unit_name:
                u = _unit(units, org, unit_name)
                u.score += expert.score
                u.people.append(expert.person.name)


def _credit_partners(need, units: _Units) -> None:
    """The units of the need's partnership's members earn the partner bonus."""
    if not (need.partnership_id and units):
        return
    members = Membership.objects.filter(
        partnership_id=need.partnership_id, organisation_id__in={k[0] for k in units}
    ).values_list("organisation_id", flat=True)
    for org_id in set(members):
        for (key_org, _name), u in units.items():
            if key_org == org_id:
                u.score += PARTNER_BONUS
                u.partnership = need.partnership.name


def for_need(need, limit: int | None = None) -> NeedMatches:
    """Activities, similar needs, academic units and people that fit ``need``.

    ``limit`` overrides how many of each are kept (the page shows a few).
    """
    ranking = rank(need, kinds=("activity", "need", "person"))
    activities = [r for r in ranking.related if r.kind == "activity"]
    needs = [r for r in ranking.related if r.kind == "need"]
    evidence = activities[:EVIDENCE]
    units: _Units = {}
    _credit_activity_units(units, evidence)

    # People with a role in the fitting activities, and people whose post matches.
    score_of = {r.object_id: r for r in evidence}
    person_hits = {h.candidate.object_id: h for h in ranking.people if h.text >= MIN_TEXT}
    role_rows = list(
        ActivityPerson.objects.filter(
            activity_id__in=list(score_of),
            person__is_public=True,
            person__deleted_at__isnull=True,
        ).values_list("activity_id", "person_id", "role")
    )
    person_ids = {p for _a, p, _r in role_rows} | set(person_hits)
    people, academic_posts = _academic_people(person_ids)
    _credit_roles(people, role_rows, score_of)
    _credit_post_text(people, person_hits, ranking.profile)
    _credit_people_units(units, people, academic_posts)
    _credit_partners(need, units)

    ranked_units = sorted(units.values(), key=lambda u: (-u.score, u.name))
    ranked_people = sorted(
        (e for e in people.values() if e.score > 0), key=lambda e: (-e.score, e.person.name)
    )
    return NeedMatches(
        activities=activities[: limit or ACTIVITIES_SHOWN],
        needs=needs[: limit or NEEDS_SHOWN],
        units=ranked_units[: limit or UNIT_SHOWN],
        people=ranked_people[: limit or PEOPLE_SHOWN],
    )


# -- the other way: open needs for an institution or a researcher -----------------


@dataclass
class NeedMatch:
    related: Related
    themes: list[str] = field(default_factory=list)
    partnership: str = ""


def _latest(*queries) -> list[int]:
    """The PROFILE_DOCUMENTS highest activity ids among ``queries``.

    Each query gives (row id, activity id) pairs for one kind of link, newest
    link first; each is cut at PROFILE_DOCUMENTS, so the reads are bounded
    whatever the size of the institution (the rows of one organisation are
    read newest first through its foreign-key index).
    """
    ids: set[int] = set()
    for query in queries:
        ids.update(query.order_by("-pk").values_list("activity_id", flat=True)[:PROFILE_DOCUMENTS])
    return sorted(ids, reverse=True)[:PROFILE_DOCUMENTS]


def _profile_from_documents(activity_ids: list[int]) -> Profile:
    """Stems of the public activities among ``activity_ids`` (from the search index)."""
    profile = Profile()
    rows = SearchDocument.objects.filter(kind="activity", object_id__in=activity_ids).values_list(
        "title_terms", "terms"
    )
    for title_terms, terms in rows:
        profile.add_terms(title_terms, terms)
    return profile


def _open_needs(
    profile: Profile, themes: Counter, partnerships: dict[int, str], limit: int
) -> list[NeedMatch]:
    hits = more_like_this(profile, ["need"], statuses=OPEN, key_terms_count=PROFILE_KEY_TERMS)
    hits = [h for h in hits if h.text >= MIN_PROFILE_TEXT][: limit * 3]
    loaded = facts_module.load([], [h.candidate.object_id for h in hits])
    matches = []
    for h in hits:
        found = loaded.get(("need", h.candidate.object_id))
        if found is None or found.status not in OPEN:
            continue
        shared_themes = [name for t, name in found.themes.items() if t in themes]
        partnership = next((n for p, n in found.partnerships.items() if p in partnerships), "")
        c = h.candidate
        related = Related(
            kind="need",
            object_id=c.object_id,
            title=c.title,
            url=c.url,
            score=h.text
            + THEME_WEIGHT * bool(shared_themes)
            + PARTNERSHIP_WEIGHT * bool(partnership),
            text=h.text,
            terms=written_forms(h.shared, profile, h),
            themes=shared_themes,
            facts=found,
        )
        matches.append(NeedMatch(related, shared_themes, partnership))
    matches.sort(key=lambda m: (-m.related.score, m.related.title))
    return matches[:limit]


def _theme_counts(activity_ids: list[int]) -> Counter:
    rows = (
        Activity.themes.through.objects.filter(
            activity_id__in=activity_ids,
            activity__is_public=True,
            activity__deleted_at__isnull=True,
        )
        .values("theme_id")
        .annotate(n=Count("activity_id"))
        .values_list("theme_id", "n")
    )
    return Counter(dict(rows))


def needs_for_organisation(org, limit: int = NEEDS_FOR_SHOWN) -> list[NeedMatch]:
    """Open needs that fit an academic institution (or a part of one) and its people.

    Its profile is read from its latest PROFILE_DOCUMENTS activities (as
    partner or owner, its own or its units') and PROFILE_DOCUMENTS posts, so
    the page costs the same for a small college and for NTNU.
    """
    in_scope = Q(organisation=org) | Q(organisation__parent=org)
    activity_ids = _latest(
        ActivityOrganisation.objects.filter(in_scope),
        Activity.objects.filter(professional_owner=org).annotate(activity_id=F("pk")),
        Activity.objects.filter(strategic_owner=org).annotate(activity_id=F("pk")),
    )
    profile = _profile_from_documents(activity_ids)
    posts = (
        Affiliation.objects.filter(
            in_scope, person__is_public=True, person__deleted_at__isnull=True
        )
        .order_by("-pk")
        .values_list("unit", "title")[:PROFILE_DOCUMENTS]
    )
    for unit_name, title in posts:
        profile.add_text(f"{unit_name} {title}")
    partnerships = {m.partnership_id: m.partnership.name for m in org.memberships.all()}
    return _open_needs(profile, _theme_counts(activity_ids), partnerships, limit)


def _academic_posts(person) -> list[Affiliation]:
    return [
        a
        for a in person.affiliations.all()
        if affiliation_is_current(a.valid_to) and a.organisation.is_knowledge_institution
    ]


def is_researcher(person) -> bool:
    """Holds a current post at a knowledge institution."""
    return bool(_academic_posts(person))


def needs_for_person(person, limit: int = NEEDS_FOR_SHOWN) -> list[NeedMatch]:
    """Open needs that fit a researcher: their activities and their current posts."""
    academic = _academic_posts(person)
    if not academic:
        return []
    activity_ids = _latest(ActivityPerson.objects.filter(person=person))
    profile = _profile_from_documents(activity_ids)
    for a in academic:
        profile.add_text(f"{a.unit} {a.title}")
    partnerships = dict(
        Membership.objects.filter(
            organisation_id__in={a.organisation_id for a in academic}
        ).values_list("partnership_id", "partnership__name")
    )
    return _open_needs(profile, _theme_counts(activity_ids), partnerships, limit)
