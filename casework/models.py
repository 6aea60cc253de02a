"""Every table, imported in one place for Alembic and the test harness."""

from casework.accounts.models import ApiToken, LoginThrottle, User
from casework.agencies.models import Agency
from casework.audit.models import AuditEntry, AuditHead
from casework.cases.models import CaseCounter, CaseEvent, ProtectionCase, Task
from casework.children.models import Caregiver, Child, ChildCircumstance
from casework.communes.models import Commune, CommuneDayOff, Village
from casework.deadlines.models import CaseDeadline, DeadlineTimer
from casework.escalations.models import Escalation
from casework.intake.models import IdempotencyRecord, Report, ReportHarmForm
from casework.processes.models import WorkflowInstance
from casework.registry.cleaning.models import CleaningLoop
from casework.registry.models import ChildSupport, RegistryProposal
from casework.registry.quality_models import DataQualitySnapshot
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
    "OutboxMessage",
    "CaseCounter",
    "CaseEvent",
    "Caregiver",
    "Child",
    "ChildCircumstance",
    "ChildSupport",
    "CleaningLoop",
    "DataQualitySnapshot",
    "RegistryProposal",
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
