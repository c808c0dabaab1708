from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.text import format_number


class PartnershipKind(models.TextChoices):
    """The compilation's vocabulary of partnership kinds (docs/concepts: /concepts/#kinds).

    Bilateral: one municipality (or districts of one) with one academic
    institution, by a two-party agreement; multilateral: one or two
    municipalities with several academic or other partners and no lead
    municipality; cluster: three or more municipalities coordinated jointly,
    often led by a motor municipality.
    """

    BILATERAL = "bilateral", _("Bilateral")
    MULTILATERAL = "multilateral", _("Multilateral")
    CLUSTER = "cluster", _("Cluster")


class Maturity(models.TextChoices):
    V1 = "1.0", _("University municipality 1.0")
    V2 = "2.0", _("University municipality 2.0")
    V3 = "3.0", _("University municipality 3.0")


class Initiative(models.TextChoices):
    """Who started the partnership. Grouped by :func:`initiative_side`."""

    MUNICIPALITY_POLITICAL = "municipality_political", _("Municipality, political level")
    MUNICIPALITY_ADMINISTRATIVE = (
        "municipality_administrative",
        _("Municipality, administrative level"),
    )
    MUNICIPALITY = "municipality", _("Municipality (level not stated)")
    MUNICIPALITY_OR_MUTUAL = (
        "municipality_or_mutual",
        _("Municipal or mutual (the source does not say which)"),
    )
    ACADEMIA = "academia", _("Academia")
    MUTUAL = "mutual", _("Mutual")


class InitiativeSide(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    MUNICIPALITY_OR_MUTUAL = "municipality_or_mutual", _("Municipal or mutual")
    ACADEMIA = "academia", _("Academia")
    MUTUAL = "mutual", _("Mutual")
    UNKNOWN = "unknown", _("Not recorded")


def initiative_side(initiative: str) -> str:
    """Fold the detailed initiative into municipality / academia / mutual / unknown."""
    if not initiative:
        return InitiativeSide.UNKNOWN
    if initiative == Initiative.MUNICIPALITY_OR_MUTUAL:
        return InitiativeSide.MUNICIPALITY_OR_MUTUAL
    if initiative.startswith("municipality"):
        return InitiativeSide.MUNICIPALITY
    return InitiativeSide(initiative)


class InitiativeGroup(models.TextChoices):
    """The compilation's finding, as an aggregate: academia against the rest.

    The compilation names the only academia-initiated partnerships; every other
    one came from the municipal side or from both. A partnership without a
    recorded initiative stays "not recorded".
    """

    ACADEMIA = "academia", _("Initiated by academia")
    MUNICIPAL_OR_MUTUAL = "municipal_or_mutual", _("Initiated by the municipality or mutually")
    UNKNOWN = "unknown", _("Not recorded")


def initiative_group(initiative: str) -> str:
    """``academia`` / ``municipal_or_mutual`` / ``unknown`` for one partnership."""
    if not initiative:
        return InitiativeGroup.UNKNOWN
    if initiative == Initiative.ACADEMIA:
        return InitiativeGroup.ACADEMIA
    return InitiativeGroup.MUNICIPAL_OR_MUTUAL


class PartnershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PILOT = "pilot", _("Pilot")
    ENDED = "ended", _("Ended")


class Role(models.TextChoices):
    LEAD = "lead", _("Lead / motor municipality")
    MEMBER_MUNICIPALITY = "member_municipality", _("Member municipality")
    ACADEMIC_PARTNER = "academic_partner", _("Academic partner")
    OTHER_PARTNER = "other_partner", _("Other partner")


class AnchoringLevel(models.TextChoices):
    """Governance levels on both sides, top first (see /concepts/#anchoring).

    Municipality: political, administrative top (rådmann / kommunedirektør),
    sector management (kommunalsjef, etat, head of a service area), service
    and professional level. Academia: board (styret, above the rectorate),
    rectorate, faculty, institute, research group or centre.
    """

    POLITICAL = "political", _("Political")
    ADMINISTRATIVE_TOP = "administrative_top", _("Administrative top")
    SECTOR_MANAGEMENT = "sector_management", _("Sector management")
    SERVICE_LEVEL = "service_level", _("Service and professional level")
    BOARD = "board", _("Board")
    RECTORATE = "rectorate", _("Rectorate")
    FACULTY = "faculty", _("Faculty")
    INSTITUTE = "institute", _("Institute")
    RESEARCH_GROUP = "research_group", _("Research group or centre")
    OTHER = "other", _("Other")


#: The municipal side's levels, top first.
MUNICIPAL_LEVELS = [
    AnchoringLevel.POLITICAL,
    AnchoringLevel.ADMINISTRATIVE_TOP,
    AnchoringLevel.SECTOR_MANAGEMENT,
    AnchoringLevel.SERVICE_LEVEL,
]
#: The academic side's levels, top first: the board is above the rectorate.
ACADEMIC_LEVELS = [
    AnchoringLevel.BOARD,
    AnchoringLevel.RECTORATE,
    AnchoringLevel.FACULTY,
    AnchoringLevel.INSTITUTE,
    AnchoringLevel.RESEARCH_GROUP,
]
#: Top management on each side.
MUNICIPAL_TOP_LEVELS = {AnchoringLevel.POLITICAL, AnchoringLevel.ADMINISTRATIVE_TOP}
ACADEMIC_TOP_LEVELS = {AnchoringLevel.BOARD, AnchoringLevel.RECTORATE}


class Evidence(models.TextChoices):
    DECISION = "decision", _("Decision")
    SIGNED_AGREEMENT = "signed_agreement", _("Signed agreement")
    ADOPTED_PLAN = "adopted_plan", _("Adopted plan")
    BODY_MEMBERSHIP = "body_membership", _("Seat in a body")
    OWNERSHIP = "ownership", _("Owns the collaboration")
    STATEMENT = "statement", _("Stated by the partnership")


class AgreementKind(models.TextChoices):
    FRAMEWORK = "framework", _("Partnership agreement")
    SUB_AGREEMENT = "sub_agreement", _("Sub-agreement")
    STRATEGY = "strategy", _("Joint strategy")
    PILOT = "pilot", _("Pilot project")


class PlanKind(models.TextChoices):
    """What kind of document a Plan record is. A plan or a strategy for research,
    education and innovation can meet KSF's third criterion; a political case or
    an agreement supports it only (insights.rules.plan_kind)."""

    PLAN = "plan", _("Plan for research, education and innovation")
    STRATEGY = "strategy", _("Strategy")
    POLITICAL_CASE = "political_case", _("Political case")
    AGREEMENT = "agreement", _("Agreement")


class BodyKind(models.TextChoices):
    STEERING_GROUP = "steering_group", _("Steering group")
    PROFESSIONAL_GROUP = "professional_group", _("Professional group")
    MUNICIPAL_GROUP = "municipal_group", _("Municipal group")
    SECRETARIAT = "secretariat", _("Secretariat / coordinators")
    WORKING_GROUP = "working_group", _("Working group or committee")
    FORUM = "forum", _("Forum")


class ResultType(models.TextChoices):
    PUBLIC_SECTOR_PHD = "offentlig_sektor_phd", _("Public-sector PhD")
    PHD = "phd", _("PhD")
    RESEARCH_PROJECT = "research_project", _("Research project")
    KNOWLEDGE_SUMMARY = "knowledge_summary", _("Knowledge summary")
    STUDENT_THESIS = "student_thesis", _("Student thesis")
    CONTINUING_EDUCATION = "continuing_education", _("Continuing education")
    NETWORK = "network", _("Network or meeting place")
    INNOVATION = "innovation", _("Innovation")
    OTHER = "other", _("Other")


class ResultUnit(models.TextChoices):
    """What a reported count counts. Counts of different units are never added up."""

    ONGOING_PROJECTS = "ongoing_projects", _("ongoing research collaborations")
    PROJECTS = "projects", _("research projects")
    APPLICATIONS_FUNDED = "applications_funded", _("funded applications")
    APPLICATIONS_SUBMITTED = "applications_submitted", _("applications submitted")
    NEEDS_SUBMITTED = "needs_submitted", _("knowledge needs submitted")
    KNOWLEDGE_SUMMARIES = "knowledge_summaries", _("knowledge summaries")
    THESES = "theses", _("student theses")
    PHD_PROJECTS = "phd_projects", _("PhD projects")
    PROFESSORSHIPS = "professorships", _("professorships")
    NETWORK_PARTNERS = "network_partners", _("network partners")
    PARTICIPANTS = "participants", _("participants")
    COURSES = "courses", _("courses")
    OTHER = "other", _("other (the description says what)")


def count_with_unit(unit: str, n: int, note: str = "") -> str:
    """A reported count with what it counts: "123 knowledge needs submitted".

    Counts of different units are never added up; each is shown on its own.
    """
    forms = {
        ResultUnit.ONGOING_PROJECTS: lambda: ngettext(
            "%(n)s ongoing research collaboration", "%(n)s ongoing research collaborations", n
        ),
        ResultUnit.PROJECTS: lambda: ngettext(
            "%(n)s research project", "%(n)s research projects", n
        ),
        ResultUnit.APPLICATIONS_FUNDED: lambda: ngettext(
            "%(n)s funded application", "%(n)s funded applications", n
        ),
        ResultUnit.APPLICATIONS_SUBMITTED: lambda: ngettext(
            "%(n)s application submitted", "%(n)s applications submitted", n
        ),
        ResultUnit.NEEDS_SUBMITTED: lambda: ngettext(
            "%(n)s knowledge need submitted", "%(n)s knowledge needs submitted", n
        ),
        ResultUnit.KNOWLEDGE_SUMMARIES: lambda: ngettext(
            "%(n)s knowledge summary", "%(n)s knowledge summaries", n
        ),
        ResultUnit.THESES: lambda: ngettext("%(n)s student thesis", "%(n)s student theses", n),
        ResultUnit.PHD_PROJECTS: lambda: ngettext("%(n)s PhD project", "%(n)s PhD projects", n),
        ResultUnit.PROFESSORSHIPS: lambda: ngettext(
            "%(n)s professorship", "%(n)s professorships", n
        ),
        ResultUnit.NETWORK_PARTNERS: lambda: ngettext(
            "%(n)s network partner", "%(n)s network partners", n
        ),
        ResultUnit.PARTICIPANTS: lambda: ngettext("%(n)s participant", "%(n)s participants", n),
        ResultUnit.COURSES: lambda: ngettext("%(n)s course", "%(n)s courses", n),
        ResultUnit.OTHER: lambda: ngettext(
            "%(n)s (see the description)", "%(n)s (see the description)", n
        ),
    }
    text = forms.get(unit, forms[ResultUnit.OTHER])() % {"n": format_number(n)}
    return f"{text} ({note})" if note else text


class StatementTopic(models.TextChoices):
    """What a sourced statement of the compilation (or a partner page) says."""

    MOTOR_MUNICIPALITY = "motor_municipality", _("Names a motor municipality")
    TERM_REJECTED = "term_rejected", _("Rejects the term motor municipality")
    OTHER = "other", _("Other finding")
