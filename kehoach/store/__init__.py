"""The register: plans, tasks, agencies, progress, indicator values and reporting duties.

This package owns all SQL: `schema` (tables), `ingest`, `tasks`, `indicators`, `reporting`
(query methods, mixed into one `Database`). API (each method runs in its own transaction):

    db = Database.open(url=None)        # default: KEHOACH_DATABASE_URL, else SQLite in data dir;
                                        # and migrates; Database(url) alone never connects
    db.ingest(plan, source_text_hash=None, source_name=None, actor=...) -> IngestResult
    db.plans() / db.plan(id)            -> dict(s) with versions and diffs
    db.tasks(agency=, status=, due_before=, plan=, text=, province=, as_of=, plans=, ids=) -> list[dict]
    db.task(id, as_of=)                 -> dict with updates, extensions, per-period statuses
    db.update_task(id, actor=, state=, percent=, narrative=, difficulties=, proposals=,
                   product_number=, product_file=, on=, period=, expected_version=)
    db.extend_deadline(id, new_due, granted_by=, granted_on=, reason=, actor=, expected_version=)
    db.mark_condition(id, met_on, due=None, actor=)     # the event a conditional task waits for
    db.indicators(plan=, as_of=, plans=) / db.indicator(id, as_of=)   # evaluation, % of target, projection
    db.record_value(indicator_id, period, value, kind="estimate"|"official", cumulative=False, ...)
    db.agencies(as_of=) / db.agency_history(id)
    db.duties(plan=, plans=) / db.duty(id) / db.edit_duty(id, ...) / db.submit_report(duty_id, agency, period, on, ...)
    db.calendar(start, end, as_of=, agency=, plan=, plans=) / db.reporting_rates(as_of=)
    db.stats(as_of=, by="agency"|"plan") / db.summary(as_of=)
    db.audit(entity=, entity_id=, limit=, plans=, newest_first=)
    db.audit_page(provinces=, plan=, actor=, agency=, since=, until=, before=, after=, limit=)
                                        # a page of the log, newest first; db.audit_subjects(entries)
    db.attach(task_id, blob, actor=, role=, update_id=) / db.evidence(task_id) / db.evidence_file(id)
                                        # evidence files (bytes in files.FileStore, outside the database)
    with db.transaction() as tx: ...   # several calls, one transaction: all or nothing
    with db.unit() as u: ...; u.finish(commit=True)   # a web request: every call in this context
                                        # joins one session, one connection, one transaction

Errors: track.NotFoundError, track.ConflictError (stale `expected_version`), track.ValidationError.
Dates are `datetime.date`; `as_of` defaults to today. `plans=` / `ids=` scope a read to those
plans or records: it reads only what they need (IN lists of 500), and returns what the unscoped
read would, filtered to them.
"""

from __future__ import annotations

from typing import Any

from ..track import ConflictError, NotFoundError, ValidationError
from ._base import Core, IngestResult, Unit, data_dir, default_url
from .audit import AuditMixin
from .files import EvidenceFile, EvidenceMixin
from .indicators import IndicatorMixin
from .ingest import IngestMixin
from .jobs import Job
from .logins import Logins
from .reporting import ReportingMixin
from .schema import (
    Agency,
    AgencyAlias,
    AuditEntry,
    Base,
    DutyReporter,
    Extension,
    Indicator,
    IndicatorAgency,
    IndicatorValue,
    Plan,
    PlanVersion,
    ProgressUpdate,
    ReportingDuty,
    ReportSubmission,
    Task,
    TaskAgency,
)
from .summaries import Summaries
from .tasks import TaskMixin
from .users import Notes, Users
from .web import Comment, Draft, Notification, Reminder, User

__all__ = [
    "Database",
    "IngestResult",
    "Unit",
    "ConflictError",
    "NotFoundError",
    "ValidationError",
    "data_dir",
    "default_url",
    "Base",
    "Agency",
    "AgencyAlias",
    "Plan",
    "PlanVersion",
    "Task",
    "TaskAgency",
    "ProgressUpdate",
    "Extension",
    "Indicator",
    "IndicatorAgency",
    "IndicatorValue",
    "ReportingDuty",
    "DutyReporter",
    "ReportSubmission",
    "AuditEntry",
    "User",
    "Draft",
    "Comment",
    "Notification",
    "Reminder",
    "EvidenceFile",
    "Job",
]


class Database(IngestMixin, TaskMixin, IndicatorMixin, ReportingMixin, EvidenceMixin, AuditMixin, Core):
    """The register, on SQLite or PostgreSQL. Construct from a URL; `open` also migrates."""

    def __init__(self, url: str | None = None, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        # small repositories sharing the register's session (see `Core`)
        self.summaries = Summaries(self)
        self.users = Users(self)
        self.notes = Notes(self)
        self.logins = Logins(self)
