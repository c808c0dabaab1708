"""The fixed vocabularies of the portfolio: activity types, statuses and roles."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerships.choices import ResultType


class ActivityType(models.TextChoices):
    RESEARCH_PROJECT = "research_project", _("Research project")
    PUBLIC_SECTOR_PHD = "public_sector_phd", _("Public-sector PhD (offentlig sektor-ph.d.)")
    PHD = "phd", _("PhD")
    STUDENT_THESIS = "student_thesis", _("Student thesis")
    CONTINUING_EDUCATION = "continuing_education", _("Continuing education")
    INNOVATION_PROJECT = "innovation_project", _("Innovation project")
    KNOWLEDGE_SUMMARY = "knowledge_summary", _("Knowledge summary")
    NETWORK = "network", _("Network")
    PLACEMENT = "placement", _("Placement (hospitering)")


class ThesisLevel(models.TextChoices):
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class OrganisationRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")


class PersonRole(models.TextChoices):
    PROJECT_LEADER = "project_leader", _("Project leader")
    SUPERVISOR = "supervisor", _("Supervisor")
    STUDENT = "student", _("Student")
    CONTACT = "contact", _("Contact")


#: The reported-result type an activity type is counted under on the
#: partnership profile; placements have no reported counterpart.
RESULT_TYPE = {
    ActivityType.RESEARCH_PROJECT: ResultType.RESEARCH_PROJECT,
    ActivityType.PUBLIC_SECTOR_PHD: ResultType.PUBLIC_SECTOR_PHD,
    ActivityType.PHD: ResultType.PHD,
    ActivityType.STUDENT_THESIS: ResultType.STUDENT_THESIS,
    ActivityType.CONTINUING_EDUCATION: ResultType.CONTINUING_EDUCATION,
    ActivityType.INNOVATION_PROJECT: ResultType.INNOVATION,
    ActivityType.KNOWLEDGE_SUMMARY: ResultType.KNOWLEDGE_SUMMARY,
    ActivityType.NETWORK: ResultType.NETWORK,
}
