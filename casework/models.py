"""Every table, imported in one place for Alembic and the test harness."""

# Not a table: keeps child_quality (the data-quality flags) true on every ORM flush.
import casework.registry.quality_flags  # noqa: E402, F401, I001
from casework.accounts.models import ApiToken, LoginThrottle, User
from casework.agencies.models import Agency
from casework.audit.models import AuditEntry, AuditHead
from casework.cases.models import CaseCounter, CaseEvent, ProtectionCase, Task
from casework.children.models import Caregiver, Child, ChildCircumstance
from casework.communes.models import Commune, CommuneDayOff, Village
from casework.deadlines.models import CaseDeadline, DeadlineTimer
from casework.escalations.models import Escalation
from casework.intake.models import IdempotencyRecord, Report, ReportHarmForm
from casework.registry.imports.models import ImportJob, ImportMapping
from casework.processes.models import WorkflowInstance
from casework.registry.cleaning.models import CleaningLoop
from casework.registry.models import ChildSupport, RegistryProposal
from casework.registry.quality_models import ChildQuality, DataQualitySnapshot
from casework.registry.review.models import ReviewItem, ReviewQuarter, VillageReview
from casework.reports.models import ChildPopulation
from notifications.models import OutboxMessage

__all__ = [
    "Agency",
    "ApiToken",
    "AuditEntry",
    "AuditHead",
    "LoginThrottle",
    "CaseDeadline",
    "CommuneDayOff",
    "DeadlineTimer",
    "Escalation",
    "ImportJob",
    "ImportMapping",
    "OutboxMessage",
    "CaseCounter",
    "CaseEvent",
    "Caregiver",
    "Child",
    "ChildCircumstance",
    "ChildSupport",
    "ChildPopulation",
    "ChildQuality",
    "CleaningLoop",
    "DataQualitySnapshot",
    "RegistryProposal",
    "ReviewItem",
    "ReviewQuarter",
    "VillageReview",
    "Commune",
    "IdempotencyRecord",
    "ProtectionCase",
    "Report",
    "ReportHarmForm",
    "Task",
    "User",
    "Village",
    "WorkflowInstance",
]
