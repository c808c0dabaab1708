from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnershipKind(models.TextChoices):
    SINGLE = "single", _("Single (one municipality)")
    BILATERAL = "bilateral", _("Bilateral")
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
    ACADEMIA = "academia", _("Academia")
    MUTUAL = "mutual", _("Mutual")


class InitiativeSide(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    ACADEMIA = "academia", _("Academia")
    MUTUAL = "mutual", _("Mutual")
    UNKNOWN = "unknown", _("Not recorded")


def initiative_side(initiative: str) -> str:
    """Fold the detailed initiative into municipality / academia / mutual / unknown."""
    if not initiative:
        return InitiativeSide.UNKNOWN
    if initiative.startswith("municipality"):
        return InitiativeSide.MUNICIPALITY
    return InitiativeSide(initiative)


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
    POLITICAL = "political", _("Political")
    ADMINISTRATIVE_TOP = "administrative_top", _("Administrative top")
    RECTORATE = "rectorate", _("Rectorate")
    FACULTY = "faculty", _("Faculty")
    INSTITUTE = "institute", _("Institute")
    SERVICE_LEVEL = "service_level", _("Service level")
    OTHER = "other", _("Other")


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
