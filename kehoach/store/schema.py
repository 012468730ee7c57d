"""The register's tables: SQLAlchemy 2 models. Migrations in kehoach/store/migrations create them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict: JSON, list: JSON}


class Agency(Base):
    __tablename__ = "agencies"
    __table_args__ = (UniqueConstraint("name", "province", name="uq_agency_name_province"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(400))
    province: Mapped[str] = mapped_column(String(100), default="")
    search: Mapped[str] = mapped_column(String(400), index=True)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    succeeded_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class AgencyAlias(Base):
    __tablename__ = "agency_aliases"
    __table_args__ = (UniqueConstraint("agency_id", "search", name="uq_alias"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(400))
    search: Mapped[str] = mapped_column(String(400), index=True)


class Plan(Base):
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    number: Mapped[str | None] = mapped_column(String(100))
    doc_type: Mapped[str | None] = mapped_column(String(100))
    issuer: Mapped[str | None] = mapped_column(String(400))
    province: Mapped[str] = mapped_column(String(100), default="", index=True)
    title: Mapped[str | None] = mapped_column(Text)
    issued_date: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PlanVersion(Base):
    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number", name="uq_plan_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    source_name: Mapped[str | None] = mapped_column(String(400))
    data: Mapped[dict] = mapped_column(JSON)
    diff: Mapped[dict | None] = mapped_column(JSON)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))


class Task(Base):
    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    search: Mapped[str] = mapped_column(Text)
    deadline_text: Mapped[str | None] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date)
    recurring: Mapped[bool] = mapped_column(Boolean, default=False)
    condition: Mapped[str | None] = mapped_column(Text)
    condition_met_on: Mapped[date | None] = mapped_column(Date)
    condition_due: Mapped[date | None] = mapped_column(Date)
    added_in: Mapped[int] = mapped_column(Integer, default=1)
    removed_in: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default="not_started")
    percent: Mapped[float | None] = mapped_column(Float)
    done_on: Mapped[date | None] = mapped_column(Date)
    product_number: Mapped[str | None] = mapped_column(String(200))
    product_file: Mapped[str | None] = mapped_column(String(1000))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # migration 0005: the date of its latest progress update (outside periods): an update dated
    # before it is put in order among the others
    progress_on: Mapped[date | None] = mapped_column(Date)
    __mapper_args__ = {"version_id_col": version}


class TaskAgency(Base):
    __tablename__ = "task_agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProgressUpdate(Base):
    __tablename__ = "progress_updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    on: Mapped[date] = mapped_column(Date)
    period: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    percent: Mapped[float | None] = mapped_column(Float)
    narrative: Mapped[str | None] = mapped_column(Text)
    difficulties: Mapped[str | None] = mapped_column(Text)
    proposals: Mapped[str | None] = mapped_column(Text)
    product_number: Mapped[str | None] = mapped_column(String(200))
    product_file: Mapped[str | None] = mapped_column(String(1000))
    actor: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Extension(Base):
    __tablename__ = "extensions"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    previous_due: Mapped[date | None] = mapped_column(Date)
    new_due: Mapped[date] = mapped_column(Date)
    granted_by: Mapped[str] = mapped_column(String(400))
    granted_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Indicator(Base):
    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    group: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    search: Mapped[str] = mapped_column(Text)
    year: Mapped[str | None] = mapped_column(String(20))
    comparator: Mapped[str] = mapped_column(String(20))
    value: Mapped[float | None] = mapped_column(Float)
    min: Mapped[float | None] = mapped_column(Float)
    max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(200))
    lower_better: Mapped[bool] = mapped_column(Boolean, default=False)
    added_in: Mapped[int] = mapped_column(Integer, default=1)
    removed_in: Mapped[int | None] = mapped_column(Integer)


class IndicatorAgency(Base):
    __tablename__ = "indicator_agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class IndicatorValue(Base):
    __tablename__ = "indicator_values"
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))  # estimate | official
    cumulative: Mapped[bool] = mapped_column(Boolean, default=False)
    value: Mapped[float] = mapped_column(Float)
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReportingDuty(Base):
    __tablename__ = "reporting_duties"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    frequency: Mapped[str] = mapped_column(String(20))
    day: Mapped[int] = mapped_column(Integer, default=20)
    month_offset: Mapped[int] = mapped_column(Integer, default=0)
    extra_dates: Mapped[list] = mapped_column(JSON, default=list)
    starts: Mapped[date | None] = mapped_column(Date)
    ends: Mapped[date | None] = mapped_column(Date)
    source_frequency: Mapped[str | None] = mapped_column(String(20))
    added_in: Mapped[int] = mapped_column(Integer, default=1)
    removed_in: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


class DutyReporter(Base):
    __tablename__ = "duty_reporters"
    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("reporting_duties.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ReportSubmission(Base):
    __tablename__ = "report_submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("reporting_duties.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    submitted_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (  # migration 0003: what changed since an id, and one record's history
        Index("ix_audit_log_entity_since", "entity", "id"),
        Index("ix_audit_log_entity_record", "entity", "entity_id", "id"),
        # migration 0007: the log's page filtered by person, and a span of days
        Index("ix_audit_log_actor", "actor", "id"),
        Index("ix_audit_log_at", "at"),
        # migration 0012: a province's and a plan's entries, newest first, however quiet
        Index("ix_audit_log_province", "province", "id"),
        Index("ix_audit_log_plan", "plan_id", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    # where the record belongs, written with the entry (`Core.log`): the plan of a plan, task,
    # indicator, duty or published draft; the province of that plan or of the draft; else None
    plan_id: Mapped[int | None] = mapped_column(Integer)
    province: Mapped[str | None] = mapped_column(String(100))


# --- what the pages read, kept in step with every write (migration 0005, issue 14) -------------
#
# Every server process reads the same numbers from these tables; each write changes them in its
# own transaction (`store/summaries.py`). None of them holds anything that cannot be computed
# again from the tables above (`Database.rebuild_summaries()`).


class TaskState(Base):
    """What a task's status needs besides the date asked, over one span of dates [since, until).

    A task has a row per span (usually one): a span ends where a progress update, an extension,
    the condition's event or a merger of its lead agency changes any of these values. Within a
    span the status on a date only compares that date with `due` (`track.task_status`), so a
    count or a list "as of today" is a comparison in SQL, and nothing is recomputed at midnight.
    """

    __tablename__ = "task_states"
    __table_args__ = (Index("ix_task_states_task", "task_id", "since"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    live: Mapped[bool] = mapped_column(Boolean)  # not removed by a later version of the plan
    since: Mapped[date | None] = mapped_column(Date)  # None: from the beginning
    until: Mapped[date | None] = mapped_column(Date)  # exclusive; None: from then on
    due: Mapped[date | None] = mapped_column(Date)  # the deadline in force (extensions, condition)
    done_on: Mapped[date | None] = mapped_column(Date)
    original: Mapped[date | None] = mapped_column(Date)  # the document's own deadline
    recurring: Mapped[bool] = mapped_column(Boolean)
    waiting: Mapped[bool] = mapped_column(Boolean)
    extended: Mapped[bool] = mapped_column(Boolean)
    owners: Mapped[list] = mapped_column(JSON)  # the lead agencies as they are named then
    hay: Mapped[str] = mapped_column(Text)  # its words to search (section, text, agencies), folded


# the open tasks of the current spans, by deadline: the dashboards' overdue and due-soon lists.
# Written `= true`, as the index's condition in its migration: a query's `IS TRUE` would not use it.
OPEN_TASKS = (
    (TaskState.until.is_(None))
    & (TaskState.live == true())
    & (TaskState.done_on.is_(None))
    & (TaskState.due.is_not(None))
    & (TaskState.recurring == false())
    & (TaskState.waiting == false())
)
Index(
    "ix_task_states_open",
    TaskState.due,
    TaskState.plan_id,
    TaskState.position,
    postgresql_where=OPEN_TASKS,
    sqlite_where=OPEN_TASKS,
)
# the same lists of one province's plans: read plan by plan, not the country's by deadline
Index(
    "ix_task_states_open_plan",
    TaskState.plan_id,
    TaskState.due,
    TaskState.position,
    postgresql_where=OPEN_TASKS,
    sqlite_where=OPEN_TASKS,
)


class IndicatorState(Base):
    """An indicator as the pages show it, from the date of its last value on.

    Past that date only its evaluation moves, once: from `before` to `after` at the end of its
    target year (`year_end`; None when the target year is the year asked, then it is evaluated
    when asked). `data` is the indicator's dict with the evaluation `before`.
    """

    __tablename__ = "indicator_states"
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    live: Mapped[bool] = mapped_column(Boolean)
    valid_from: Mapped[date | None] = mapped_column(Date)  # the last value's date; None: no value
    year_end: Mapped[date | None] = mapped_column(Date)
    before: Mapped[str] = mapped_column(String(40))
    after: Mapped[str] = mapped_column(String(40))
    rank_before: Mapped[int] = mapped_column(Integer)  # what needs attention first (0 first)
    rank_after: Mapped[int] = mapped_column(Integer)
    hard: Mapped[bool] = mapped_column(Boolean)  # projected to miss its target
    hay: Mapped[str] = mapped_column(Text)  # its words to search, folded
    data: Mapped[dict] = mapped_column(JSON)


class PlanState(Base):
    """Per plan: from which date its counts in `summary_tally` hold, and what is read per plan."""

    __tablename__ = "plan_states"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    province: Mapped[str] = mapped_column(String(100), index=True)
    fresh_from: Mapped[date | None] = mapped_column(Date)  # counts hold for any date from this one
    reports_from: Mapped[date] = mapped_column(Date)  # the reporting deadlines counted: this span
    reports_until: Mapped[date] = mapped_column(Date)
    frequency: Mapped[str] = mapped_column(String(20))  # the period of its recurring tasks
    growth: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))  # against its scenario, if any
    reports: Mapped[list | None] = mapped_column(JSON)  # its reporting deadlines as counted in the tally


class Tally(Base):
    """Counts the dashboards add up, per plan (`plan_id`, kind `status` only), per province
    (`plan_id` 0) and for the country (`plan_id` -1, kind `heat` only), kept as counts of
    date-free keys: a count "as of" a date compares `day` (and `sent`, `ends`) with that date in
    SQL (`store/summaries.py` says how, kind by kind)."""

    __tablename__ = "summary_tally"
    __table_args__ = (
        UniqueConstraint("plan_id", "province", "kind", "key", "bucket", "day", "sent", "ends", name="uq_tally"),
        Index("ix_tally_province", "province", "kind", "plan_id"),  # a province's counts, plan by plan
        # the country's counts of one kind, read from the index alone (PostgreSQL)
        Index("ix_tally_kind", "kind", "plan_id", "key", "bucket", "day", postgresql_include=["province", "n"]),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(Integer)
    province: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(400))
    bucket: Mapped[str] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(Date)
    sent: Mapped[date] = mapped_column(Date)  # a report sent late: the day it was sent
    ends: Mapped[date] = mapped_column(Date)  # a report's period's last day
    n: Mapped[int] = mapped_column(Integer)


class LoginThrottle(Base):
    """Failed logins per account, per address and per both (a hash of which): every process counts them."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    wait_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SharedSecret(Base):
    """A secret made once and shared by every server process (the session cookies' key)."""

    __tablename__ = "shared_secrets"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
