"""What the KS compilation itself says: its headline numbers and its vocabulary.

unikom counts everything it shows from the registry. The few things it cannot
count — how many partnerships the compilation asked, how many municipalities
and institutions *it* counted, the definitions it works with — live here, with
the page they come from, so that the about page can set unikom's own counts
beside them and the concepts page can define every term the site uses.

The definitions are keyed by the values of the choices classes in
``partnerships.choices``; the concepts page lists the choices and looks the
definitions up, and a test fails when a choice has no definition.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from partnerships.choices import (
    AnchoringLevel,
    Initiative,
    InitiativeGroup,
    Maturity,
    PartnershipKind,
)

#: The compilation's start page on ks.no.
SOURCE_URL = (
    "https://www.ks.no/fagomrader/forskning-og-utvikling-fou/forskning-og-utvikling/"
    "samarbeid-mellom-kommuner-og-universitet/"
)
#: Its overview page ("samarbeidsområder"): the findings on size, anchoring,
#: initiative, motor municipalities and how long the partnerships have existed.
OVERVIEW_URL = SOURCE_URL + "erfaringer-og-laringspunkter/samarbeidsomrader/"
#: The path of the pages the compilation gives each partnership.
PARTNERSHIP_PAGES_PATH = "/de-enkelte-samarbeidene/"

#: The compilation's headline numbers, as it states them (not counted by unikom).
COMPILATION = {
    "title": "Samarbeid mellom kommuner og universitet",
    "made_by": ("KS", "Universitetskommunen Trondheim TRD3.0"),
    "launched_at": "Arena Unikom",
    "year": 2021,
    "partnerships_asked": 16,
    "partnerships_answered": 15,
    "municipalities": 34,
    "academic_institutions": 16,
    "source_url": SOURCE_URL,
    "overview_url": OVERVIEW_URL,
}

#: The year the compilation's facts hold for, unless a later source is cited.
FACTS_YEAR = COMPILATION["year"]
#: "The last four to five years" before the compilation: when most formal
#: agreements were made, according to it.
RECENT_AGREEMENTS = (2017, FACTS_YEAR)
#: The pandemic years, in which some of those agreements were made.
PANDEMIC_YEARS = (2020, 2021)
#: Roots older than this count as "going back further" than the recent wave.
OLD_ROOTS_BEFORE = 2010
#: The two larger partnerships the compilation names for how far back their
#: roots go (slugs in the bundled dataset); their roots are read from the data.
LARGER_PARTNERSHIPS = (
    "kunnskapskommunen-helseomsorg-vest",
    "universitetskommunen-trondheim-trd3-0",
)

#: KSF's definition of a motor municipality, as the compilation quotes it.
KSF_REPORT = {
    "body": "Kommunenes strategiske forskningsorgan (KSF)",
    "title": _("final report"),
    "published": _("April 2019"),
    "page": 40,
    "quoted_on": OVERVIEW_URL,
}
KSF_CRITERIA = [
    _("It has ambitions for, and experience with, research, education and innovation."),
    _("It sets aside a share of its operating budget to fund research."),
    _("It has a plan for research, education and innovation adopted by its politicians."),
]
#: The roles KS describes for a motor municipality in a cluster.
MOTOR_ROLES = [
    _("takes the lead of the cluster;"),
    _("supports the cluster's work and runs it for the benefit of every partner;"),
    _("takes the initiative towards the academic institutions."),
]

KIND_DEFINITIONS = {
    PartnershipKind.BILATERAL: _(
        "One municipality (or some districts of one) and one academic institution, bound by "
        "an agreement between the two. Partners outside academia may take part as well. A "
        "single municipality with a single university is the simplest form the compilation "
        "describes (Oppdal with NTNU), and it calls USN's agreements with Drammen, Skien and "
        "Færder bilateral."
    ),
    PartnershipKind.MULTILATERAL: _(
        "One or two municipalities working with several academic or other partners, without "
        "one municipality leading the others (Innherred, Ålesund)."
    ),
    PartnershipKind.CLUSTER: _(
        "Three or more municipalities coordinating their work together, often led by one of "
        "them, the motor municipality (the Bergen and Lofoten clusters, Nord-Gudbrandsdal)."
    ),
}

MATURITY_DEFINITIONS = {
    Maturity.V1: _(
        "A university or university college lies inside the municipality's borders. Being "
        "neighbours is all it takes."
    ),
    Maturity.V2: _(
        "The collaboration is organised to meet the municipality's needs for knowledge and "
        "competence in a few fields. The compilation finds that most of its cases are, in "
        "practice, still at this level."
    ),
    Maturity.V3: _(
        "The parties commit to solving societal challenges together, across disciplines and "
        "sectors, and to sharing knowledge and experience. That takes new ways of working, "
        "is strategic for every party, and depends neither on the size of the municipality "
        "nor on a campus nearby. The compilation's example is Trondheim (TRD3.0)."
    ),
}

LEVEL_DEFINITIONS = {
    AnchoringLevel.POLITICAL: _(
        "The municipal council, the executive committee (formannskap) or the mayor: a "
        "political decision, signature or ownership."
    ),
    AnchoringLevel.ADMINISTRATIVE_TOP: _(
        "The chief executive (rådmann or kommunedirektør) and the top administrative management."
    ),
    AnchoringLevel.SECTOR_MANAGEMENT: _(
        "The heads of a sector or service area (kommunalsjef, etat), such as a group of the "
        "member municipalities' heads of health and care. The same kind of body is coded at "
        "this level in every partnership."
    ),
    AnchoringLevel.SERVICE_LEVEL: _(
        "The services and their professional staff: working groups and professional groups "
        "with people from the services."
    ),
    AnchoringLevel.BOARD: _(
        "The institution's board (styret), which stands above the rectorate, for example "
        "when the board adopts a joint strategy."
    ),
    AnchoringLevel.RECTORATE: _("The rector or the rectorate signs or owns the collaboration."),
    AnchoringLevel.FACULTY: _("A faculty, its dean or the deans' meeting."),
    AnchoringLevel.INSTITUTE: _("A department or institute and its head."),
    AnchoringLevel.RESEARCH_GROUP: _("A research group or a research centre."),
    AnchoringLevel.OTHER: _(
        "Regional councils, joint bodies of both sides and whatever fits none of the levels above."
    ),
}

INITIATIVE_DEFINITIONS = {
    Initiative.MUNICIPALITY_POLITICAL: _(
        "The municipality started it, at political level (council, mayors)."
    ),
    Initiative.MUNICIPALITY_ADMINISTRATIVE: _(
        "The municipality started it, at administrative level."
    ),
    Initiative.MUNICIPALITY: _(
        "The municipality started it; the sources do not say at which level."
    ),
    Initiative.MUNICIPALITY_OR_MUTUAL: _(
        "The municipality started it or both parties did, and the source does not say which "
        "of the two. Either way it was not academia alone."
    ),
    Initiative.ACADEMIA: _(
        "The academic institution started it. The compilation names the only such "
        "partnerships: OsloMet's with Oslo, and the bilateral agreements of the University "
        "of South-Eastern Norway (USN) with Drammen, Skien and Færder."
    ),
    Initiative.MUTUAL: _(
        "Both parties approached each other from the start, which the compilation says is "
        "not unusual."
    ),
}

INITIATIVE_GROUP_DEFINITIONS = {
    InitiativeGroup.ACADEMIA: _("Started by the academic institution."),
    InitiativeGroup.MUNICIPAL_OR_MUTUAL: _(
        "Started by the municipality or by both parties together, including the partnerships "
        "whose sources do not say which of the two."
    ),
    InitiativeGroup.UNKNOWN: _("No source says who started it."),
}
