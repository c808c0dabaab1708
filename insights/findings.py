"""The compilation's findings, told as sentences computed from the registry.

Each finding runs its own query over the partnerships it is given (all of them
by default, or a report's county or partnership), so the sentences change
when the data does: anchoring at the top, who took the initiative, when the
formal agreements were made, how far back the roots go. Alongside them:
the counts that need care (municipalities named against the number the
sources state; knowledge institutions with the hospitals the compilation
counts), when the facts hold (vintage), and where on the site the problems
the compilation names are answered.

Everything here is a plain function; the national page (insights.views),
the report (insights.report) and the about page call them, and tests can too.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dates import When, when_from_fields
from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind
from partnerships.choices import (
    ACADEMIC_TOP_LEVELS,
    MUNICIPAL_TOP_LEVELS,
    AnchoringLevel,
    BodyKind,
    Initiative,
    InitiativeGroup,
    InitiativeSide,
    Role,
    initiative_group,
    initiative_side,
)
from partnerships.models import Anchoring, Body, Membership, Partnership

from .compilation import (
    COMPILATION,
    FACTS_YEAR,
    LARGER_PARTNERSHIPS,
    OLD_ROOTS_BEFORE,
    PANDEMIC_YEARS,
    RECENT_AGREEMENTS,
)

#: The partnerships the compilation names as the only academia-initiated ones.
ACADEMIA_INITIATED = ("universitetskommunen-oslo", "usn-drammen", "usn-skien", "usn-faerder")
#: Academic levels below the top (the board and the rectorate).
ACADEMIC_BELOW_TOP = (
    AnchoringLevel.FACULTY,
    AnchoringLevel.INSTITUTE,
    AnchoringLevel.RESEARCH_GROUP,
)


@dataclass
class Finding:
    """One of the compilation's findings, as the registry bears it out."""

    key: str
    title: str
    sentences: list[str]
    #: the numbers the sentences are made of, for tests and scripts
    figures: dict[str, Any] = field(default_factory=dict)
    #: the section of /concepts/ that defines the finding's terms
    concept: str = ""

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


# -- small helpers, shared with the overview and the report ----------------------------


def scope(partnerships: QuerySet[Partnership] | None = None) -> QuerySet[Partnership]:
    """A plain queryset of the partnerships to count (every live one by default)."""
    if partnerships is None:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=partnerships.values("pk"))


def join_and(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c" in the reader's language."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return _("%(list)s and %(last)s") % {"list": ", ".join(items[:-1]), "last": items[-1]}


def year_span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def age_text(when: When | None, today: datetime.date | None = None) -> str:
    """ "11 years", or "about 22–26 years" for a period such as the early 2000s."""
    if when is None:
        return ""
    least, most = when.age(today)
    if least == most:
        return ngettext("%(n)s year", "%(n)s years", most) % {"n": most}
    return _("about %(least)s–%(most)s years") % {"least": least, "most": most}


def when_sort_key(when: When | None) -> tuple:
    """Dated first, by first year then last year; undated last (never dropped)."""
    if when is None:
        return (1, 0, 0)
    return (0, when.year_from, when.year_to)


def dated_label(when: When, name: str) -> str:
    """ "1988 (Vestvågøy)": the date as written, with whose it is."""
    return _("%(when)s (%(name)s)") % {"when": when.display(), "name": name}


def earliest_roots(rows: Iterable[tuple[When | None, str]]) -> dict[str, Any] | None:
    """The earliest roots among (roots, name) pairs: a period counts from its first year.

    Returns the year, the roots as written and whose they are, or None when no
    roots are recorded.
    """
    dated = [(when, name) for when, name in rows if when is not None]
    if not dated:
        return None
    first = min(when.year_from for when, _name in dated)
    oldest = sorted(
        ((w, n) for w, n in dated if w.year_from == first), key=lambda r: (r[0].year_to, r[1])
    )
    return {
        "year": first,
        "display": oldest[0][0].display(),
        "names": [n for _w, n in oldest],
        "label": join_and([dated_label(w, n) for w, n in oldest]),
    }


def _lead_name() -> Subquery:
    return Subquery(
        Membership.objects.filter(
            partnership=OuterRef("pk"), role=Role.LEAD, valid_to__isnull=True
        ).values("organisation__name")[:1]
    )


def _has_anchoring(levels) -> Exists:
    return Exists(
        Anchoring.objects.filter(partnership=OuterRef("pk"), absent=False, level__in=levels)
    )


# -- the compilation's findings ------------------------------------------------------------


def anchoring_at_the_top(partnerships: QuerySet[Partnership] | None = None) -> Finding:
    """Partnerships with top anchoring recorded on both sides (stated absences excluded)."""
    rows = list(
        scope(partnerships)
        .annotate(
            municipal_top=_has_anchoring(MUNICIPAL_TOP_LEVELS),
            academic_top=_has_anchoring(ACADEMIC_TOP_LEVELS),
            academic_below=_has_anchoring(ACADEMIC_BELOW_TOP),
            anything=_has_anchoring(AnchoringLevel.values),
        )
        .values_list("municipal_top", "academic_top", "academic_below", "anything")
    )
    n = len(rows)
    both = sum(1 for m, a, _b, _x in rows if m and a)
    municipal_only = sum(1 for m, a, _b, _x in rows if m and not a)
    academic_only = sum(1 for m, a, _b, _x in rows if a and not m)
    below_only = sum(1 for _m, a, b, _x in rows if b and not a)
    nothing = sum(1 for *_rest, x in rows if not x)
    sentences = [
        _(
            "All %(answered)s partnerships that contributed to the compilation agree that "
            "anchoring with the top management on both sides is decisive."
        )
        % {"answered": COMPILATION["partnerships_answered"]},
        ngettext(
            "Here, top-level anchoring on both sides – the municipality's political or "
            "administrative leadership and the academic institution's board or rectorate – is "
            "recorded for %(both)s of %(n)s partnership.",
            "Here, top-level anchoring on both sides – the municipality's political or "
            "administrative leadership and the academic institution's board or rectorate – is "
            "recorded for %(both)s of %(n)s partnerships.",
            n,
        )
        % {"both": both, "n": n},
    ]
    if municipal_only:
        sentences.append(
            ngettext(
                "%(k)s more partnership has it on the municipal side only.",
                "%(k)s more partnerships have it on the municipal side only.",
                municipal_only,
            )
            % {"k": municipal_only}
        )
    if academic_only:
        sentences.append(
            ngettext(
                "%(k)s partnership has it on the academic side only.",
                "%(k)s partnerships have it on the academic side only.",
                academic_only,
            )
            % {"k": academic_only}
        )
    if below_only:
        sentences.append(
            ngettext(
                "%(k)s partnership is anchored at the academic institutions only below the top "
                "(faculty, institute or research group), as the compilation notes for a few.",
                "%(k)s partnerships are anchored at the academic institutions only below the "
                "top (faculty, institute or research group), as the compilation notes for a few.",
                below_only,
            )
            % {"k": below_only}
        )
    if nothing:
        sentences.append(
            ngettext(
                "%(k)s partnership has no anchoring recorded.",
                "%(k)s partnerships have no anchoring recorded.",
                nothing,
            )
            % {"k": nothing}
        )
    return Finding(
        key="anchoring",
        title=_("Anchoring at the top is decisive"),
        sentences=sentences,
        figures={
            "partnerships": n,
            "top_both_sides": both,
            "municipal_top_only": municipal_only,
            "academic_top_only": academic_only,
            "academic_below_top_only": below_only,
            "no_anchoring": nothing,
        },
        concept="anchoring",
    )


def initiative(partnerships: QuerySet[Partnership] | None = None) -> Finding:
    """Academia-initiated against municipal or mutual, as the compilation found."""
    rows = list(scope(partnerships).order_by("name").values_list("slug", "name", "initiative"))
    n = len(rows)
    groups = Counter(initiative_group(i) for _s, _n, i in rows)
    sides = Counter(initiative_side(i) for _s, _n, i in rows)
    academia = [(slug, name) for slug, name, i in rows if i == Initiative.ACADEMIA]
    a = groups[InitiativeGroup.ACADEMIA]
    mm = groups[InitiativeGroup.MUNICIPAL_OR_MUTUAL]
    unknown = groups[InitiativeGroup.UNKNOWN]
    values = {"mm": mm, "n": n, "a": a}
    if n > 1 and mm * 2 > n:
        sentences = [
            _(
                "Most partnerships were started by the municipality or by both parties "
                "together: %(mm)s of %(n)s."
            )
            % values
        ]
    else:
        sentences = [
            ngettext(
                "%(mm)s of %(n)s partnership was started by the municipality or by both "
                "parties together.",
                "%(mm)s of %(n)s partnerships were started by the municipality or by both "
                "parties together.",
                n,
            )
            % values
        ]
    if mm:
        sentences.append(
            _(
                "Of these, by the municipality: %(municipality)s; by both: %(mutual)s; "
                "the source does not say which of the two: %(either)s."
            )
            % {
                "municipality": sides[InitiativeSide.MUNICIPALITY],
                "mutual": sides[InitiativeSide.MUTUAL],
                "either": sides[InitiativeSide.MUNICIPALITY_OR_MUTUAL],
            }
        )
    named = set(ACADEMIA_INITIATED) & {slug for slug, _n, _i in rows}
    if a:
        sentences.append(
            ngettext(
                "Academia took the initiative in %(a)s partnership: %(names)s.",
                "Academia took the initiative in %(a)s partnerships: %(names)s.",
                a,
            )
            % {"a": a, "names": join_and([name for _s, name in academia])}
        )
        if {slug for slug, _n in academia} == named:
            sentences.append(
                _("These are exactly the ones the compilation names as the only ones.")
            )
    elif n:
        sentences.append(_("None was started by academia alone."))
    if named - {slug for slug, _n in academia}:
        sentences.append(
            _(
                "The compilation names OsloMet's partnership with Oslo and USN's with Drammen, "
                "Skien and Færder as the only academia-initiated ones; the registry does not "
                "record all of them so."
            )
        )
    if unknown:
        sentences.append(
            ngettext(
                "For %(u)s partnership no source says who took the initiative.",
                "For %(u)s partnerships no source says who took the initiative.",
                unknown,
            )
            % {"u": unknown}
        )
    return Finding(
        key="initiative",
        title=_("The initiative mostly comes from the municipalities"),
        sentences=sentences,
        figures={
            "partnerships": n,
            "academia": a,
            "municipal_or_mutual": mm,
            "unknown": unknown,
            "municipality": sides[InitiativeSide.MUNICIPALITY],
            "mutual": sides[InitiativeSide.MUTUAL],
            "municipality_or_mutual_unsaid": sides[InitiativeSide.MUNICIPALITY_OR_MUTUAL],
            "academia_partnerships": [name for _s, name in academia],
        },
        concept="initiative",
    )


def formal_agreements(partnerships: QuerySet[Partnership] | None = None) -> Finding:
    """How many formal agreements fall in the last years before the compilation."""
    rows = list(
        scope(partnerships).values_list("agreement_year", "agreement_year_to", "agreement_text")
    )
    whens = [when_from_fields(*r) for r in rows]
    first, last = RECENT_AGREEMENTS
    p1, p2 = PANDEMIC_YEARS
    dated = [w for w in whens if w is not None and w.year_from <= FACTS_YEAR]
    later = sum(1 for w in whens if w is not None and w.year_from > FACTS_YEAR)
    undated = sum(1 for w in whens if w is None)
    recent = sum(1 for w in dated if first <= w.year_from <= last)
    pandemic = sum(1 for w in dated if p1 <= w.year_from <= p2)
    m = len(dated)
    values = {
        "m": m,
        "k": recent,
        "p": pandemic,
        "year": FACTS_YEAR,
        "first": first,
        "last": last,
        "pandemic": year_span(p1, p2),
        "span": last - first + 1,
    }
    sentences = []
    if m > 1 and recent * 2 > m:
        sentences.append(_("Most formal agreements are recent."))
    if m:
        sentences.append(
            ngettext(
                "Of the %(m)s partnership with a formal agreement dated up to %(year)s, "
                "%(k)s made it in %(first)s–%(last)s, the last %(span)s years before the "
                "compilation, and %(p)s in the pandemic years %(pandemic)s.",
                "Of the %(m)s partnerships with a formal agreement dated up to %(year)s, "
                "%(k)s made it in %(first)s–%(last)s, the last %(span)s years before the "
                "compilation, and %(p)s of them in the pandemic years %(pandemic)s.",
                m,
            )
            % values
        )
    if later:
        sentences.append(
            ngettext(
                "%(l)s partnership made its first formal agreement after the compilation.",
                "%(l)s partnerships made their first formal agreement after the compilation.",
                later,
            )
            % {"l": later}
        )
    if undated:
        sentences.append(
            ngettext(
                "%(u)s partnership has no formal agreement dated.",
                "%(u)s partnerships have no formal agreement dated.",
                undated,
            )
            % {"u": undated}
        )
    return Finding(
        key="agreements",
        title=_("Most formal agreements are from the last few years"),
        sentences=sentences,
        figures={
            "partnerships": len(rows),
            "dated_up_to_compilation": m,
            "recent": recent,
            "pandemic": pandemic,
            "after_compilation": later,
            "undated": undated,
        },
        concept="roots",
    )


def roots(
    partnerships: QuerySet[Partnership] | None = None, *, today: datetime.date | None = None
) -> Finding:
    """How far back the collaborations go: the oldest roots and the larger partnerships'."""
    rows = list(
        scope(partnerships)
        .annotate(lead_name=_lead_name())
        .order_by("name")
        .values_list(
            "slug",
            "name",
            "lead_name",
            "roots_year",
            "roots_year_to",
            "roots_text",
            "agreement_year",
        )
    )
    items = []
    for slug, name, lead, r1, r2, text, agreement in rows:
        items.append(
            {
                "slug": slug,
                "name": name,
                "who": lead or name,
                "roots": when_from_fields(r1, r2, text),
                "agreement": agreement,
            }
        )
    dated = sorted(
        (i for i in items if i["roots"]), key=lambda i: (when_sort_key(i["roots"]), i["name"])
    )
    undated = len(items) - len(dated)
    old = [i for i in dated if i["roots"].year_from < OLD_ROOTS_BEFORE] or dated[:1]
    both = [i for i in dated if i["agreement"]]
    before = sum(1 for i in both if i["roots"].year_from < i["agreement"])
    larger = [i for slug in LARGER_PARTNERSHIPS for i in dated if i["slug"] == slug]
    sentences = []
    if old:
        sentences.append(
            _("The oldest roots go back to %(list)s.")
            % {"list": join_and([dated_label(i["roots"], i["who"]) for i in old])}
        )
    if larger:
        sentences.append(
            ngettext(
                "The larger partnership the compilation names for its roots goes back to %(list)s.",
                "The larger partnerships the compilation names for their roots go back to "
                "%(list)s.",
                len(larger),
            )
            % {"list": join_and([dated_label(i["roots"], i["name"]) for i in larger])}
        )
    if both:
        sentences.append(
            ngettext(
                "Of the %(m)s partnership with both roots and a formal agreement dated, "
                "%(b)s collaborated before the agreement.",
                "Of the %(m)s partnerships with both roots and a formal agreement dated, "
                "%(b)s collaborated before the agreement.",
                len(both),
            )
            % {"m": len(both), "b": before}
        )
    if undated:
        sentences.append(
            ngettext(
                "%(u)s partnership has no roots recorded.",
                "%(u)s partnerships have no roots recorded.",
                undated,
            )
            % {"u": undated}
        )
    earliest = earliest_roots((i["roots"], i["who"]) for i in items)
    return Finding(
        key="roots",
        title=_("Many collaborations are older than their agreements"),
        sentences=sentences,
        figures={
            "partnerships": len(items),
            "with_roots": len(dated),
            "without_roots": undated,
            "earliest": earliest,
            "oldest": [
                {"name": i["name"], "who": i["who"], "roots": i["roots"].display()} for i in old
            ],
            "larger": [{"name": i["name"], "roots": i["roots"].display()} for i in larger],
            "roots_before_agreement": before,
            "with_both": len(both),
            "ages": {i["name"]: i["roots"].age(today) for i in dated},
        },
        concept="roots",
    )


def compilation_findings(
    partnerships: QuerySet[Partnership] | None = None, *, today: datetime.date | None = None
) -> list[Finding]:
    """The four findings, in the compilation's order."""
    return [
        anchoring_at_the_top(partnerships),
        initiative(partnerships),
        formal_agreements(partnerships),
        roots(partnerships, today=today),
    ]


# -- counts that need care -----------------------------------------------------------------


def municipality_counts(partnerships: QuerySet[Partnership] | None = None) -> dict[str, Any]:
    """Municipalities named in the memberships, and as the sources count them.

    A partnership whose sources give a number but name fewer municipalities
    adds the unnamed ones to the stated total (each counted once for it).
    """
    qs = scope(partnerships)
    named = (
        Membership.objects.current()
        .filter(partnership__in=qs, organisation__kind=OrganisationKind.MUNICIPALITY)
        .values("organisation")
        .distinct()
        .count()
    )
    short = []
    for p in qs.with_counts().order_by("name"):
        stated = p.stated_beyond_named(p.municipality_count)
        if stated:
            short.append(
                {
                    "partnership": p,
                    "name": p.name,
                    "stated": stated,
                    "named": p.municipality_count,
                }
            )
    unnamed = sum(s["stated"] - s["named"] for s in short)
    return {"named": named, "stated": named + unnamed, "unnamed": unnamed, "incomplete": short}


def knowledge_institution_counts(
    partnerships: QuerySet[Partnership] | None = None,
) -> dict[str, Any]:
    """Distinct knowledge institutions, with the hospitals the compilation counts among them."""
    pairs = set(
        Membership.objects.current()
        .filter(partnership__in=scope(partnerships), organisation__kind__in=KNOWLEDGE_KINDS)
        .values_list("organisation", "organisation__kind")
    )
    kinds = Counter(kind for _org, kind in pairs)
    hospitals = kinds[OrganisationKind.HEALTH_TRUST]
    total = sum(kinds.values())
    return {
        "total": total,
        "hospitals": hospitals,
        "academic": total - hospitals,
        "by_kind": [
            (str(OrganisationKind(k).label), kinds[k]) for k in KNOWLEDGE_KINDS if kinds[k]
        ],
    }


def partnerships_with_own_page(partnerships: QuerySet[Partnership] | None = None) -> int:
    """Partnerships whose main source is their own page in the compilation."""
    from .compilation import PARTNERSHIP_PAGES_PATH

    return scope(partnerships).filter(source_url__contains=PARTNERSHIP_PAGES_PATH).count()


def vintage(
    partnerships: QuerySet[Partnership] | None = None, *, today: datetime.date | None = None
) -> dict[str, Any]:
    """As of when the facts hold: the compilation's year unless a later source is cited."""
    rows = list(scope(partnerships).order_by("name").values_list("name", "facts_as_of"))
    n = len(rows)
    at_compilation = sum(1 for _n, y in rows if y is not None and y <= FACTS_YEAR)
    later = [(name, y) for name, y in rows if y is not None and y > FACTS_YEAR]
    undated = sum(1 for _n, y in rows if y is None)
    sentences = []
    if n:
        sentences.append(
            ngettext(
                "The facts hold as of %(year)s, when the compilation was made, for %(k)s of "
                "%(n)s partnership.",
                "The facts hold as of %(year)s, when the compilation was made, for %(k)s of "
                "%(n)s partnerships.",
                n,
            )
            % {"year": FACTS_YEAR, "k": at_compilation, "n": n}
        )
    if later:
        sentences.append(
            _("A later source is cited for %(list)s.")
            % {"list": join_and([f"{name} ({year})" for name, year in later])}
        )
    if undated:
        sentences.append(
            ngettext(
                "For %(u)s partnership no date is given for the facts.",
                "For %(u)s partnerships no date is given for the facts.",
                undated,
            )
            % {"u": undated}
        )
    return {
        "year": FACTS_YEAR,
        "at_compilation": at_compilation,
        "later": later,
        "undated": undated,
        "sentences": sentences,
        "text": " ".join(sentences),
    }


# -- the problems the compilation names, and where the site answers them ----------------


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # an app switched off
        return ""


def coordination(partnerships: QuerySet[Partnership] | None = None) -> dict[str, int]:
    """Partnerships with a coordinating function recorded (capacity or a secretariat)."""
    qs = scope(partnerships)
    secretariat = Exists(Body.objects.filter(partnership=OuterRef("pk"), kind=BodyKind.SECRETARIAT))
    coordinated = qs.filter(Q(coordinator_fte__gt=0) | Q(secretariat)).count()
    return {"partnerships": qs.count(), "coordinated": coordinated}


def pains(partnerships: QuerySet[Partnership] | None = None) -> list[dict[str, Any]]:
    """The problems the compilation names, each with the feature that answers it."""
    coordinated = coordination(partnerships)
    rows = [
        {
            "key": "levels",
            "pain": _("Collaborations at many levels that do not know of each other."),
            "answer": _(
                "The portfolio gathers every partnership's projects and other activities in "
                "one place, and each activity shows related work going on elsewhere."
            ),
            "url": _url("activities:list"),
            "link": _("Activities and portfolios"),
        },
        {
            "key": "information",
            "pain": _("Weak flow of information."),
            "answer": _(
                "The network shows who works with whom across partnerships and institutions."
            ),
            "url": _url("network:network"),
            "link": _("Network"),
        },
        {
            "key": "meeting-places",
            "pain": _("Too few suitable meeting places."),
            "answer": _(
                "Meeting places lists conferences, seminars and gatherings, with a calendar "
                "to subscribe to."
            ),
            "url": _url("events:list"),
            "link": _("Meeting places"),
        },
        {
            "key": "coordination",
            "pain": _(
                "Fragmented organisation, and little capacity to set up new ways of working "
                "together."
            ),
            "answer": ngettext(
                "The compilation points to a coordinating function; one is recorded for "
                "%(k)s of %(n)s partnership, on its profile.",
                "The compilation points to a coordinating function; one is recorded for "
                "%(k)s of %(n)s partnerships, on their profiles.",
                coordinated["partnerships"],
            )
            % {"k": coordinated["coordinated"], "n": coordinated["partnerships"]},
            "url": _url("partnerships:list"),
            "link": _("Partnerships"),
        },
    ]
    return [r for r in rows if r["url"]]
