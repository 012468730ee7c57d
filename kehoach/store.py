"""The register: plans, tasks, agencies, progress, indicator values and reporting duties.

This module owns all SQL. API (every method opens and commits its own transaction):

    db = Database.open(url=None)        # default: KEHOACH_DATABASE_URL, else SQLite in data dir;
                                        # and migrates; Database(url) alone never connects
    db.ingest(plan, source_text_hash=None, source_name=None, actor=...) -> IngestResult
    db.plans() / db.plan(id)            -> dict(s) with versions and diffs
    db.tasks(agency=, status=, due_before=, plan=, text=, province=, as_of=) -> list[dict]
    db.task(id, as_of=)                 -> dict with updates, extensions, per-period statuses
    db.update_task(id, actor=, state=, percent=, narrative=, difficulties=, proposals=,
                   product_number=, product_file=, on=, period=, expected_version=)
    db.extend_deadline(id, new_due, granted_by=, granted_on=, reason=, actor=, expected_version=)
    db.mark_condition(id, met_on, due=None, actor=)     # the event a conditional task waits for
    db.indicators(plan=, as_of=) / db.indicator(id, as_of=)   # evaluation, % of target, projection
    db.record_value(indicator_id, period, value, kind="estimate"|"official", cumulative=False, ...)
    db.agencies(as_of=) / db.agency_history(id)
    db.duties(plan=) / db.edit_duty(id, ...) / db.submit_report(duty_id, agency, period, on, ...)
    db.calendar(start, end, as_of=, agency=) / db.reporting_rates(as_of=)
    db.stats(as_of=, by="agency"|"plan") / db.summary(as_of=) / db.audit(entity=, entity_id=)
    with db.transaction() as tx: ...   # several calls, one transaction: all or nothing

Errors: track.NotFoundError, track.ConflictError (stale `expected_version`), track.ValidationError.
Dates are `datetime.date`; `as_of` defaults to today.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    or_,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from . import calendar as cal
from . import succession, track
from .succession import fold
from .track import ConflictError, NotFoundError, Status, ValidationError

__all__ = [
    "Database",
    "IngestResult",
    "ConflictError",
    "NotFoundError",
    "ValidationError",
    "default_url",
]

ROLES = ("lead", "coordinate", "monitor")
FREQUENCY_MAP = {
    "monthly": "monthly",
    "quarterly": "quarterly",
    "annual": "annual",
    "once": "once",
    "semiannual": "semiannual",
    "periodic": "quarterly",
}


def data_dir() -> Path:
    """$KEHOACH_DATA_DIR, else $XDG_DATA_HOME/kehoach, else ~/.local/share/kehoach."""
    if os.environ.get("KEHOACH_DATA_DIR"):
        return Path(os.environ["KEHOACH_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "kehoach"


def default_url() -> str:
    return os.environ.get("KEHOACH_DATABASE_URL") or f"sqlite:///{data_dir() / 'kehoach.db'}"


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite returns naive datetimes; we store UTC
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _date(value: Any, name: str) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(name, value, "ngày phải có dạng YYYY-MM-DD")


# --- models -----------------------------------------------------------------------------------


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
    province: Mapped[str] = mapped_column(String(100), default="")
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
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


# --- the database -----------------------------------------------------------------------------


@dataclass
class IngestResult:
    plan_id: int
    version: int
    created: bool  # False: the same content was already stored
    diff: dict | None = None
    tasks: int = 0

    def as_dict(self) -> dict:
        return {
            "id": self.plan_id,
            "version": self.version,
            "created": self.created,
            "tasks": self.tasks,
            "diff": self.diff,
        }


def _canonical(plan: dict) -> str:
    return json.dumps(plan, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_plan(plan: Any) -> dict:
    if not isinstance(plan, dict):
        raise ValidationError("plan", type(plan).__name__, "cần một đối tượng JSON plan/v1")
    if plan.get("format", "plan/v1") != "plan/v1":
        raise ValidationError("format", plan.get("format"), "chỉ nhận định dạng plan/v1")
    doc = plan.get("document")
    if not isinstance(doc, dict):
        raise ValidationError("document", doc, "plan/v1 cần mục document")
    for key in ("tasks", "indicators", "reporting"):
        if not isinstance(plan.get(key, []), list):
            raise ValidationError(key, plan.get(key), "phải là một danh sách")
    for i, t in enumerate(plan.get("tasks", [])):
        if not isinstance(t, dict) or not isinstance(t.get("text"), str):
            raise ValidationError(f"tasks[{i}].text", t, "mỗi nhiệm vụ cần trường text")
        dl = t.get("deadline")
        if dl is not None:
            _date(dl.get("due"), f"tasks[{i}].deadline.due")
    _date(doc.get("issued_date"), "document.issued_date")
    return plan


def _shape(t: dict) -> track.TaskShape:
    dl = t.get("deadline") or {}
    return track.TaskShape(
        t.get("section") or "",
        t["text"],
        tuple(t.get("lead") or []),
        _date(dl.get("due"), "deadline.due"),
        dl.get("text"),
    )


@dataclass
class _Loaded:
    """Everything needed to derive task statuses, loaded in a few queries."""

    tasks: list[Task]
    plans: dict[int, Plan]
    agencies: dict[int, Agency]
    links: dict[int, list[TaskAgency]] = field(default_factory=dict)
    updates: dict[int, list[ProgressUpdate]] = field(default_factory=dict)
    extensions: dict[int, list[Extension]] = field(default_factory=dict)
    frequency: dict[int, str] = field(default_factory=dict)


class Database:
    """The register, on SQLite or PostgreSQL. Construct from a URL; `open` also migrates."""

    def __init__(
        self,
        url: str | None = None,
        *,
        registry: succession.Registry | None = None,
        soon_days: int = track.DEFAULT_SOON_DAYS,
    ) -> None:
        self.url = url or default_url()
        self.soon_days = soon_days
        self._registry = registry
        kwargs: dict[str, Any] = {}
        if self.url.startswith("sqlite"):
            path = self.url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30}
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str | None = None, **kwargs: Any) -> Database:
        db = cls(url, **kwargs)
        db.migrate()
        return db

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def registry(self) -> succession.Registry:
        if self._registry is None:
            self._registry = succession.load(data_dir())
        return self._registry

    def migrate(self, revision: str = "head") -> None:
        """Run the Alembic migrations (packaged in kehoach/migrations) up to `revision`."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """A view of this database whose every method call joins one transaction.

        Nothing is committed until the block ends; an exception rolls all of it back
        (an import of many rows lands whole or not at all).
        """
        with self.engine.connect() as conn:
            outer = conn.begin()
            view = copy.copy(self)
            view._sessions = sessionmaker(bind=conn, expire_on_commit=False)
            try:
                yield view
            except BaseException:
                if outer.is_active:
                    outer.rollback()
                raise
            else:
                outer.commit()

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._sessions() as s, s.begin():
            yield s

    # --- agencies -----------------------------------------------------------------------------

    def _agency(self, s: Session, name: str, province: str, cache: dict) -> Agency:
        name = " ".join(name.split())
        key = (name, province)
        if key in cache:
            return cache[key]
        ag = s.scalar(select(Agency).where(Agency.name == name, Agency.province == province))
        if ag is None:
            ag = Agency(name=name, province=province, search=fold(name))
            s.add(ag)
            s.flush()
            s.add(AgencyAlias(agency_id=ag.id, alias=name, search=fold(name)))
        cache[key] = ag
        return ag

    def _link_successors(self, s: Session, ag: Agency, cache: dict) -> None:
        """Materialise the agency's successors (per the registry) as agencies with links."""
        far = date(9999, 12, 31)
        _, _, steps = self.registry.resolve(ag.name, ag.province or None, far)
        current = ag
        for step in steps:
            nxt = self._agency(s, step.name, step.province or "", cache)
            if nxt.id == current.id:
                continue
            if current.successor_id != nxt.id:
                current.successor_id, current.succeeded_on, current.note = (
                    nxt.id,
                    step.on,
                    step.note,
                )
            current = nxt

    def refresh_succession(self, actor: str = "kehoach") -> int:
        """Re-apply the succession files to every agency; return how many links changed."""
        with self._tx() as s:
            cache: dict = {}
            before = {a.id: (a.successor_id, a.succeeded_on) for a in s.scalars(select(Agency))}
            for ag in list(s.scalars(select(Agency).order_by(Agency.id))):
                self._link_successors(s, ag, cache)
            s.flush()
            changed = sum(
                1
                for a in s.scalars(select(Agency))
                if before.get(a.id, (None, None)) != (a.successor_id, a.succeeded_on)
            )
            if changed:
                self._audit(s, actor, "refresh", "agency", 0, None, {"changed": changed})
            return changed

    @staticmethod
    def _current(agencies: dict[int, Agency], agency_id: int, on: date) -> Agency:
        ag = agencies[agency_id]
        seen = {ag.id}
        while ag.successor_id and ag.succeeded_on and ag.succeeded_on <= on:
            ag = agencies[ag.successor_id]
            if ag.id in seen:
                break
            seen.add(ag.id)
        return ag

    def find_agency(self, name: str, province: str | None = None) -> list[dict]:
        """Agencies whose name or alias contains `name`, ignoring case and diacritics."""
        with self._tx() as s:
            q = (
                select(Agency)
                .join(AgencyAlias, AgencyAlias.agency_id == Agency.id)
                .where(or_(*(AgencyAlias.search.contains(n) for n in _needles(name))))
            )
            if province:
                q = q.where(Agency.province == self.registry.province(province))
            found = list(dict.fromkeys(s.scalars(q.order_by(Agency.id))))
        return [self._agency_dict(a) for a in found]

    @staticmethod
    def _agency_dict(a: Agency) -> dict:
        return {
            "id": a.id,
            "name": a.name,
            "province": a.province or None,
            "successor_id": a.successor_id,
            "succeeded_on": _iso(a.succeeded_on),
        }

    def agencies(self, as_of: date | None = None) -> list[dict]:
        """Every agency, its successor as of `as_of`, the tasks it leads directly and inherited."""
        as_of = as_of or date.today()
        with self._tx() as s:
            ags = {a.id: a for a in s.scalars(select(Agency).order_by(Agency.id))}
            direct: dict[int, int] = defaultdict(int)
            owned: dict[int, int] = defaultdict(int)
            q = (
                select(TaskAgency.agency_id)
                .join(Task, Task.id == TaskAgency.task_id)
                .where(TaskAgency.role == "lead", Task.removed_in.is_(None))
            )
            for agency_id in s.scalars(q):
                direct[agency_id] += 1
                owned[self._current(ags, agency_id, as_of).id] += 1
        out = []
        for a in ags.values():
            cur = self._current(ags, a.id, as_of)
            d = self._agency_dict(a)
            d |= {
                "current": None if cur.id == a.id else f"{cur.name} ({cur.province})",
                "current_id": cur.id,
                "tasks_led": direct[a.id],
                "tasks_owned": owned[a.id],
            }
            out.append(d)
        return out

    def agency_history(self, agency_id: int) -> list[dict]:
        """The chain of successors of an agency, oldest first."""
        with self._tx() as s:
            ags = {a.id: a for a in s.scalars(select(Agency))}
        if agency_id not in ags:
            raise NotFoundError(f"không có cơ quan id {agency_id}: xem `kehoach agencies`")
        chain, ag, seen = [self._agency_dict(ags[agency_id])], ags[agency_id], {agency_id}
        while ag.successor_id and ag.successor_id not in seen:
            ag = ags[ag.successor_id]
            seen.add(ag.id)
            chain.append(self._agency_dict(ag))
        return chain

    # --- ingest -------------------------------------------------------------------------------

    def ingest(self, plan: dict, source_text_hash: str | None = None, **kwargs: Any) -> IngestResult:
        """Store a plan/v1 dict: once per content, a new version with a diff when revised.

        The whole document goes in one transaction. Two processes ingesting the same
        plan at once: one stores it, the other finds it stored.
        """
        try:
            return self._ingest(plan, source_text_hash, **kwargs)
        except IntegrityError:
            return self._ingest(plan, source_text_hash, **kwargs)

    def _ingest(
        self,
        plan: dict,
        source_text_hash: str | None = None,
        *,
        source_name: str | None = None,
        actor: str = "kehoach",
    ) -> IngestResult:
        plan = _check_plan(plan)
        content = _sha(_canonical(plan))
        doc = plan["document"]
        province = self.registry.province(doc.get("province")) or ""
        ident = doc.get("number") or doc.get("title") or content
        key = _sha("|".join([fold(doc.get("issuer") or ""), province, fold(ident)]))
        with self._tx() as s:
            match = [PlanVersion.content_hash == content]
            if source_text_hash:
                match.append(PlanVersion.source_hash == source_text_hash)
            same = s.scalars(select(PlanVersion).where(or_(*match)).order_by(PlanVersion.id)).first()
            if same is not None:
                return IngestResult(same.plan_id, same.number, False, same.diff)
            now = _now()
            row = s.scalar(select(Plan).where(Plan.key_hash == key))
            fields = dict(
                number=doc.get("number"),
                doc_type=doc.get("doc_type"),
                issuer=doc.get("issuer"),
                province=province,
                title=doc.get("title"),
                issued_date=_date(doc.get("issued_date"), "document.issued_date"),
                period_end=track.plan_period_end(plan),
                updated_at=now,
            )
            if row is None:
                row = Plan(key_hash=key, current_version=1, created_at=now, **fields)
                s.add(row)
                s.flush()
                number = 1
            else:
                number = row.current_version + 1
                for k, v in fields.items():
                    setattr(row, k, v)
                row.current_version = number
            cache: dict = {}
            diff = self._store_tasks(s, row, plan, number, cache)
            self._store_indicators(s, row, plan, number, cache)
            self._store_duties(s, row, plan, number, cache)
            for ag in list(cache.values()):
                self._link_successors(s, ag, cache)
            version = PlanVersion(
                plan_id=row.id,
                number=number,
                content_hash=content,
                source_hash=source_text_hash,
                source_name=source_name or plan.get("source"),
                data=plan,
                diff=diff if number > 1 else None,
                ingested_at=now,
                actor=actor,
            )
            s.add(version)
            s.flush()
            self._audit(
                s,
                actor,
                "ingest",
                "plan",
                row.id,
                None,
                {
                    "version": number,
                    "number": row.number,
                    "tasks": len(plan.get("tasks", [])),
                    "diff": {k: len(v) for k, v in diff.items()} if number > 1 else None,
                },
            )
            return IngestResult(row.id, number, True, version.diff, len(plan.get("tasks", [])))

    def _add_task(self, s: Session, plan: Plan, t: dict, position: int, number: int, cache: dict) -> Task:
        task = Task(plan_id=plan.id, position=position, added_in=number, state="not_started")
        self._apply_task(s, task, t, position, plan, cache)
        return task

    def _apply_task(self, s: Session, task: Task, t: dict, position: int, plan: Plan, cache: dict) -> None:
        dl = t.get("deadline") or {}
        task.position, task.section, task.text = position, t.get("section") or "", t["text"]
        task.search = fold(task.text)
        task.deadline_text, task.due = dl.get("text"), _date(dl.get("due"), "deadline.due")
        task.recurring, task.condition = bool(dl.get("recurring")), dl.get("condition")
        if task.id is None:
            s.add(task)
            s.flush()
        else:
            for link in s.scalars(select(TaskAgency).where(TaskAgency.task_id == task.id)):
                s.delete(link)
        for role in ROLES:
            for i, name in enumerate(t.get(role) or []):
                ag = self._agency(s, name, plan.province, cache)
                s.add(TaskAgency(task_id=task.id, agency_id=ag.id, role=role, position=i))

    def _store_tasks(self, s: Session, plan: Plan, data: dict, number: int, cache: dict) -> dict:
        new = data.get("tasks", [])
        old = list(
            s.scalars(select(Task).where(Task.plan_id == plan.id, Task.removed_in.is_(None)).order_by(Task.position))
        )
        if not old:
            for j, t in enumerate(new):
                self._add_task(s, plan, t, j, number, cache)
            return {}
        leads = self._leads(s, [t.id for t in old])
        old_shapes = [
            track.TaskShape(t.section, t.text, tuple(leads.get(t.id, [])), t.due, t.deadline_text) for t in old
        ]
        pairs, diff = track.diff_tasks(old_shapes, [_shape(t) for t in new])
        ids: dict[int, int] = {}
        matched_old = set()
        for i, j in pairs:
            self._apply_task(s, old[i], new[j], j, plan, cache)
            ids[j] = old[i].id
            matched_old.add(i)
        for i, t in enumerate(old):
            if i not in matched_old:
                t.removed_in = number
        for j, t in enumerate(new):
            if j not in ids:
                ids[j] = self._add_task(s, plan, t, j, number, cache).id
        s.flush()
        # name the tasks by id so the diff stays meaningful after later versions
        for entries in diff.values():
            for e in entries:
                if "new" in e:
                    e["task_id"] = ids[e.pop("new")]
                    e.pop("old", None)
                elif "old" in e:
                    e["task_id"] = old[e.pop("old")].id
        return diff

    def _leads(self, s: Session, task_ids: list[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = defaultdict(list)
        q = (
            select(TaskAgency.task_id, Agency.name)
            .join(Agency, Agency.id == TaskAgency.agency_id)
            .where(TaskAgency.task_id.in_(task_ids), TaskAgency.role == "lead")
            .order_by(TaskAgency.task_id, TaskAgency.position)
        )
        for task_id, name in s.execute(q):
            out[task_id].append(name)
        return out

    def _store_indicators(self, s: Session, plan: Plan, data: dict, number: int, cache: dict) -> None:
        old = {
            (fold(i.name), i.year, fold(i.group or "")): i
            for i in s.scalars(select(Indicator).where(Indicator.plan_id == plan.id, Indicator.removed_in.is_(None)))
        }
        kept = set()
        position = 0
        for row in data.get("indicators", []):
            for t in row.get("targets") or []:
                comparator = t.get("comparator") or "="
                if comparator not in track.COMPARATORS:
                    raise ValidationError(
                        "indicators.targets.comparator",
                        comparator,
                        f"phải là một trong {', '.join(track.COMPARATORS)}",
                    )
                name = t.get("name") or row.get("text") or ""
                key = (fold(name), row.get("year"), fold(row.get("group") or ""))
                ind = old.get(key) if key not in kept else None
                if ind is None:
                    ind = Indicator(plan_id=plan.id, added_in=number)
                    s.add(ind)
                else:
                    kept.add(key)
                    s.execute(delete(IndicatorAgency).where(IndicatorAgency.indicator_id == ind.id))
                ind.position, ind.group, ind.text, ind.name = (
                    position,
                    row.get("group"),
                    row.get("text") or name,
                    name,
                )
                ind.search, ind.year, ind.comparator = (
                    fold(f"{name} {row.get('text') or ''}"),
                    row.get("year"),
                    comparator,
                )
                ind.value, ind.min, ind.max, ind.unit = (
                    t.get("value"),
                    t.get("min"),
                    t.get("max"),
                    t.get("unit"),
                )
                ind.lower_better = track.lower_is_better(name, comparator, t.get("unit"))
                s.flush()
                for i, a in enumerate(row.get("agency") or []):
                    ag = self._agency(s, a, plan.province, cache)
                    s.add(IndicatorAgency(indicator_id=ind.id, agency_id=ag.id, position=i))
                position += 1
        for key, ind in old.items():
            if key not in kept:
                ind.removed_in = number

    def _store_duties(self, s: Session, plan: Plan, data: dict, number: int, cache: dict) -> None:
        old = {
            fold(d.text): d
            for d in s.scalars(
                select(ReportingDuty).where(ReportingDuty.plan_id == plan.id, ReportingDuty.removed_in.is_(None))
            )
        }
        kept = set()
        for position, r in enumerate(data.get("reporting", [])):
            src = r.get("frequency") or "periodic"
            frequency = FREQUENCY_MAP.get(src, "quarterly")
            dates = sorted(d for d in (_date(x, "reporting.deadlines") for x in r.get("deadlines") or []) if d)
            rule, extra = cal.derive_rule(frequency, dates)
            if frequency == "once":
                extra = dates
            key = fold(r.get("text") or f"{position}")
            duty = old.get(key) if key not in kept else None
            if duty is None:
                duty = ReportingDuty(plan_id=plan.id, added_in=number)
                s.add(duty)
            else:
                kept.add(key)
                s.execute(delete(DutyReporter).where(DutyReporter.duty_id == duty.id))
            starts = (
                plan.issued_date
                or (dates[0] if dates else None)
                or (date(plan.period_end.year, 1, 1) if plan.period_end else None)
            )
            duty.position, duty.text, duty.frequency, duty.source_frequency = (
                position,
                r.get("text") or "",
                frequency,
                src,
            )
            duty.day, duty.month_offset = rule.day, rule.month_offset
            duty.extra_dates = [d.isoformat() for d in extra]
            duty.starts, duty.ends = starts, plan.period_end
            recipient = r.get("recipient")
            duty.recipient_id = self._agency(s, recipient, plan.province, cache).id if recipient else None
            s.flush()
            for i, a in enumerate(r.get("reporters") or []):
                ag = self._agency(s, a, plan.province, cache)
                s.add(DutyReporter(duty_id=duty.id, agency_id=ag.id, position=i))
        for key, duty in old.items():
            if key not in kept:
                duty.removed_in = number

    # --- plans --------------------------------------------------------------------------------

    def plans(self) -> list[dict]:
        with self._tx() as s:
            counts = dict(
                s.execute(
                    select(Task.plan_id, func.count()).where(Task.removed_in.is_(None)).group_by(Task.plan_id)
                ).all()
            )
            inds = dict(
                s.execute(
                    select(Indicator.plan_id, func.count())
                    .where(Indicator.removed_in.is_(None))
                    .group_by(Indicator.plan_id)
                ).all()
            )
            return [
                self._plan_dict(p) | {"tasks": counts.get(p.id, 0), "indicators": inds.get(p.id, 0)}
                for p in s.scalars(select(Plan).order_by(Plan.id))
            ]

    @staticmethod
    def _plan_dict(p: Plan) -> dict:
        return {
            "id": p.id,
            "number": p.number,
            "doc_type": p.doc_type,
            "issuer": p.issuer,
            "province": p.province or None,
            "title": p.title,
            "issued_date": _iso(p.issued_date),
            "period_end": _iso(p.period_end),
            "version": p.current_version,
        }

    def plan(self, plan_id: int) -> dict:
        with self._tx() as s:
            p = s.get(Plan, plan_id)
            if p is None:
                raise NotFoundError(f"không có kế hoạch id {plan_id}: xem `kehoach plans`")
            versions = [
                {
                    "version": v.number,
                    "source": v.source_name,
                    "content_hash": v.content_hash,
                    "ingested_at": _iso(v.ingested_at),
                    "actor": v.actor,
                    "diff": v.diff,
                }
                for v in s.scalars(
                    select(PlanVersion).where(PlanVersion.plan_id == plan_id).order_by(PlanVersion.number)
                )
            ]
            return self._plan_dict(p) | {"versions": versions}

    def plan_data(self, plan_id: int, version: int | None = None) -> dict:
        """The plan/v1 dict as ingested (the current version by default)."""
        with self._tx() as s:
            q = select(PlanVersion).where(PlanVersion.plan_id == plan_id).order_by(PlanVersion.number.desc())
            if version is not None:
                q = q.where(PlanVersion.number == version)
            v = s.scalars(q).first()
            if v is None:
                raise NotFoundError(f"không có kế hoạch id {plan_id} phiên bản {version}")
            return v.data

    # --- tasks --------------------------------------------------------------------------------

    def _load(self, s: Session, q: Any) -> _Loaded:
        tasks = list(s.scalars(q.order_by(Task.plan_id, Task.position, Task.id)))
        ids = [t.id for t in tasks]
        ld = _Loaded(
            tasks,
            {p.id: p for p in s.scalars(select(Plan))},
            {a.id: a for a in s.scalars(select(Agency))},
        )
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            for link in s.scalars(
                select(TaskAgency)
                .where(TaskAgency.task_id.in_(chunk))
                .order_by(TaskAgency.task_id, TaskAgency.role, TaskAgency.position)
            ):
                ld.links.setdefault(link.task_id, []).append(link)
            for u in s.scalars(
                select(ProgressUpdate)
                .where(ProgressUpdate.task_id.in_(chunk))
                .order_by(ProgressUpdate.on, ProgressUpdate.id)
            ):
                ld.updates.setdefault(u.task_id, []).append(u)
            for e in s.scalars(
                select(Extension).where(Extension.task_id.in_(chunk)).order_by(Extension.granted_on, Extension.id)
            ):
                ld.extensions.setdefault(e.task_id, []).append(e)
        for d in s.scalars(
            select(ReportingDuty).where(ReportingDuty.removed_in.is_(None)).order_by(ReportingDuty.position)
        ):
            if d.frequency in ("monthly", "quarterly", "semiannual", "annual"):
                ld.frequency.setdefault(d.plan_id, d.frequency)
        return ld

    def _state(self, ld: _Loaded, t: Task, as_of: date) -> dict:
        plan = ld.plans[t.plan_id]
        exts = [(e.granted_on, e.new_due) for e in ld.extensions.get(t.id, [])]
        due = track.effective_due(
            t.due,
            plan_end=plan.period_end,
            recurring=t.recurring,
            condition=t.condition,
            condition_met_on=t.condition_met_on,
            condition_due=t.condition_due,
            extensions=exts,
            as_of=as_of,
        )
        updates = ld.updates.get(t.id, [])
        waiting = bool(t.condition) and t.due is None and due is None
        out: dict[str, Any] = {"due": due, "waiting": waiting}
        if t.recurring:
            done: dict[str, date] = {}
            for u in updates:
                if u.period and u.state == "done" and u.on <= as_of:
                    done.setdefault(u.period, u.on)
            start = plan.issued_date or date(as_of.year, 1, 1)
            periods = track.period_statuses(
                ld.frequency.get(plan.id, "quarterly"),
                start,
                as_of,
                done,
                until=plan.period_end,
                soon_days=self.soon_days,
            )
            out["periods"] = [
                {
                    "period": p.period,
                    "due": _iso(p.due),
                    "status": p.status.value,
                    "done_on": _iso(p.done_on),
                }
                for p in periods
            ]
            done_on = None
        else:
            done_on = track.completion([(u.on, u.state) for u in updates if not u.period], as_of)
        out["done_on"] = done_on
        out["status"] = track.task_status(
            due=due,
            done_on=done_on,
            as_of=as_of,
            recurring=t.recurring,
            waiting=waiting,
            soon_days=self.soon_days,
        )
        # lateness against the document's own date, whatever the extensions
        original = t.due or (t.condition_due if t.condition else None) or (None if t.recurring else plan.period_end)
        out["late_vs_original"] = bool(original and ((done_on or as_of) > original)) and not t.recurring
        out["extended"] = any(on <= as_of for on, _ in exts)
        return out

    def _task_dict(self, ld: _Loaded, t: Task, as_of: date) -> dict:
        st = self._state(ld, t, as_of)
        plan = ld.plans[t.plan_id]
        roles: dict[str, list[str]] = {r: [] for r in ROLES}
        owners = []
        for link in ld.links.get(t.id, []):
            roles[link.role].append(ld.agencies[link.agency_id].name)
            if link.role == "lead":
                cur = self._current(ld.agencies, link.agency_id, as_of)
                owners.append(f"{cur.name} ({cur.province})" if cur.province else cur.name)
        d = {
            "id": t.id,
            "plan_id": t.plan_id,
            "plan": plan.number or plan.title,
            "position": t.position,
            "section": t.section,
            "text": t.text,
            **roles,
            "owner_now": owners,
            "deadline_text": t.deadline_text,
            "due_document": _iso(t.due),
            "due": _iso(st["due"]),
            "recurring": t.recurring,
            "condition": t.condition,
            "condition_met_on": _iso(t.condition_met_on),
            "status": st["status"].value,
            "done_on": _iso(st["done_on"]),
            "extended": st["extended"],
            "late_vs_original": st["late_vs_original"],
            "state": t.state,
            "percent": t.percent,
            "product_number": t.product_number,
            "product_file": t.product_file,
            "version": t.version,
        }
        if "periods" in st:
            d["periods"] = st["periods"]
        return d

    def _agency_matches(
        self,
        ld: _Loaded,
        t: Task,
        needles: tuple[str, ...],
        province: str | None,
        as_of: date,
        roles: tuple[str, ...],
    ) -> bool:
        for link in ld.links.get(t.id, []):
            if link.role not in roles:
                continue
            for ag in (
                ld.agencies[link.agency_id],
                self._current(ld.agencies, link.agency_id, as_of),
            ):
                named = not needles or any(n in ag.search for n in needles)
                if named and (province is None or ag.province == province):
                    return True
        return False

    def tasks(
        self,
        *,
        agency: str | None = None,
        status: str | None = None,
        due_before: date | None = None,
        plan: int | None = None,
        text: str | None = None,
        province: str | None = None,
        roles: tuple[str, ...] = ("lead",),
        as_of: date | None = None,
        include_removed: bool = False,
    ) -> list[dict]:
        """Tasks with their status as of `as_of`, filtered.

        `agency` matches the agency named in the plan or its successor as of `as_of`;
        `text` and `agency` ignore case and diacritics; `status` is a Status value or its prefix.
        """
        as_of = _date(as_of, "as_of") or date.today()
        due_before = _date(due_before, "due_before")
        statuses = self._statuses(status)
        prov = self.registry.province(province) if province else None
        with self._tx() as s:
            q = select(Task)
            if not include_removed:
                q = q.where(Task.removed_in.is_(None))
            if plan is not None:
                q = q.where(Task.plan_id == plan)
            if text:
                q = q.where(Task.search.contains(fold(text), autoescape=True))
            ld = self._load(s, q)
            out = []
            for t in ld.tasks:
                if (agency or prov) and not self._agency_matches(ld, t, _needles(agency), prov, as_of, roles):
                    continue
                d = self._task_dict(ld, t, as_of)
                if statuses and d["status"] not in statuses:
                    continue
                if due_before and not (d["due"] and date.fromisoformat(d["due"]) < due_before):
                    continue
                out.append(d)
            return out

    @staticmethod
    def _statuses(status: str | None) -> set[str]:
        if not status:
            return set()
        want = fold(status)
        found = {s.value for s in Status if fold(s.value).startswith(want) or s.name.lower() == want}
        if not found:
            raise ValidationError("status", status, "dùng một trong: " + "; ".join(s.value for s in Status))
        return found

    def task(self, task_id: int, as_of: date | None = None) -> dict:
        as_of = _date(as_of, "as_of") or date.today()
        with self._tx() as s:
            ld = self._load(s, select(Task).where(Task.id == task_id))
            if not ld.tasks:
                raise NotFoundError(f"không có nhiệm vụ id {task_id}: xem `kehoach tasks`")
            d = self._task_dict(ld, ld.tasks[0], as_of)
            d["updates"] = [
                {
                    "id": u.id,
                    "on": _iso(u.on),
                    "period": u.period,
                    "state": u.state,
                    "percent": u.percent,
                    "narrative": u.narrative,
                    "difficulties": u.difficulties,
                    "proposals": u.proposals,
                    "product_number": u.product_number,
                    "product_file": u.product_file,
                    "actor": u.actor,
                }
                for u in ld.updates.get(task_id, [])
            ]
            d["extensions"] = [
                {
                    "id": e.id,
                    "previous_due": _iso(e.previous_due),
                    "new_due": _iso(e.new_due),
                    "granted_by": e.granted_by,
                    "granted_on": _iso(e.granted_on),
                    "reason": e.reason,
                }
                for e in ld.extensions.get(task_id, [])
            ]
            return d

    def _locked_task(self, s: Session, task_id: int, expected_version: int | None) -> Task:
        t = s.get(Task, task_id)
        if t is None:
            raise NotFoundError(f"không có nhiệm vụ id {task_id}: xem `kehoach tasks`")
        if expected_version is not None and t.version != expected_version:
            raise ConflictError(
                f"nhiệm vụ {task_id} đã được người khác cập nhật (phiên bản {t.version}, bạn đọc "
                f"phiên bản {expected_version}): tải lại rồi cập nhật lại"
            )
        return t

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with self._tx() as s:
                yield s
        except StaleDataError as e:
            raise ConflictError(f"bản ghi đã được người khác cập nhật cùng lúc: tải lại rồi thử lại ({e})") from e

    @staticmethod
    def _task_snapshot(t: Task) -> dict:
        return {
            k: getattr(t, k)
            for k in (
                "state",
                "percent",
                "done_on",
                "product_number",
                "product_file",
                "version",
                "condition_met_on",
                "condition_due",
            )
        }

    def update_task(
        self,
        task_id: int,
        *,
        actor: str,
        state: str | None = None,
        percent: float | None = None,
        narrative: str | None = None,
        difficulties: str | None = None,
        proposals: str | None = None,
        product_number: str | None = None,
        product_file: str | None = None,
        on: date | None = None,
        period: str | None = None,
        expected_version: int | None = None,
    ) -> dict:
        """Append a progress update. Done needs evidence: a document number or a file."""
        if not actor or not actor.strip():
            raise ValidationError("actor", actor, "cần tên người cập nhật")
        on = _date(on, "on") or date.today()
        check = track.check_percent(percent)
        if period is not None:
            try:
                period = cal.parse_period(period).label
            except ValueError as e:
                raise ValidationError("period", period, str(e)) from None
        if product_number is not None and not _looks_like_number(product_number):
            raise ValidationError("product_number", product_number, "số ký hiệu văn bản có dạng 123/QĐ-UBND")
        with self._write() as s:
            t = self._locked_task(s, task_id, expected_version)
            new_state = track.progress_state(state) if state else t.state
            if new_state == "done" and not (
                product_number or product_file or (t.product_number or t.product_file) and not period
            ):
                raise ValidationError(
                    "product",
                    None,
                    "nhiệm vụ chỉ hoàn thành khi có sản phẩm: "
                    "số văn bản (--product 123/QĐ-UBND) hoặc tệp đính kèm (--file)",
                )
            if new_state == "done" and check is None:
                check = 100.0
            before = self._task_snapshot(t)
            history = [
                (x.on, x.state)
                for x in s.scalars(
                    select(ProgressUpdate)
                    .where(ProgressUpdate.task_id == t.id, ProgressUpdate.period.is_(None))
                    .order_by(ProgressUpdate.on, ProgressUpdate.id)
                )
            ]
            u = ProgressUpdate(
                task_id=t.id,
                on=on,
                period=period,
                state=new_state,
                percent=check,
                narrative=narrative,
                difficulties=difficulties,
                proposals=proposals,
                product_number=product_number,
                product_file=product_file,
                actor=actor,
                recorded_at=_now(),
            )
            s.add(u)
            if not period:
                history = sorted(history + [(on, new_state)], key=lambda h: h[0])
                t.state = history[-1][1]
                t.percent = check if check is not None else t.percent
                t.done_on = track.completion(history, date.max)
            t.product_number = product_number or t.product_number
            t.product_file = product_file or t.product_file
            t.updated_at = _now()
            s.flush()
            self._audit(
                s,
                actor,
                "update",
                "task",
                t.id,
                before,
                self._task_snapshot(t) | {"update_id": u.id},
            )
        return self.task(task_id, as_of=max(on, date.today()))

    def extend_deadline(
        self,
        task_id: int,
        new_due: date,
        *,
        granted_by: str,
        actor: str,
        granted_on: date | None = None,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> dict:
        """Record a deadline extension (gia hạn) against the task's original date."""
        new_due = _date(new_due, "new_due")
        granted_on = _date(granted_on, "granted_on") or date.today()
        if not granted_by or not granted_by.strip():
            raise ValidationError("granted_by", granted_by, "cần ghi ai cho phép gia hạn")
        with self._write() as s:
            t = self._locked_task(s, task_id, expected_version)
            prev = s.scalars(
                select(Extension.new_due)
                .where(Extension.task_id == t.id)
                .order_by(Extension.granted_on.desc(), Extension.id.desc())
            ).first()
            previous = prev or t.due or t.condition_due or self._plan_end(s, t)
            if previous and new_due <= previous:
                raise ValidationError(
                    "new_due",
                    new_due.isoformat(),
                    f"hạn mới phải sau hạn hiện tại {previous.isoformat()}",
                )
            before = self._task_snapshot(t)
            s.add(
                Extension(
                    task_id=t.id,
                    previous_due=previous,
                    new_due=new_due,
                    granted_by=granted_by,
                    granted_on=granted_on,
                    reason=reason,
                    actor=actor,
                    recorded_at=_now(),
                )
            )
            t.updated_at = _now()
            s.flush()
            self._audit(
                s,
                actor,
                "extend",
                "task",
                t.id,
                before | {"due": previous},
                self._task_snapshot(t) | {"due": new_due, "granted_by": granted_by},
            )
        return self.task(task_id, as_of=max(granted_on, date.today()))

    @staticmethod
    def _plan_end(s: Session, t: Task) -> date | None:
        p = s.get(Plan, t.plan_id)
        return p.period_end if p else None

    def mark_condition(
        self,
        task_id: int,
        met_on: date,
        *,
        actor: str,
        due: date | None = None,
        expected_version: int | None = None,
    ) -> dict:
        """Mark a conditional task's event: its clock starts (due `due` or 30 days on)."""
        met_on = _date(met_on, "met_on")
        due = _date(due, "due")
        with self._write() as s:
            t = self._locked_task(s, task_id, expected_version)
            if not t.condition:
                raise ValidationError("task", task_id, "nhiệm vụ này không có điều kiện chờ")
            if due is not None and due < met_on:
                raise ValidationError("due", due.isoformat(), "hạn phải sau ngày sự kiện xảy ra")
            before = self._task_snapshot(t)
            t.condition_met_on = met_on
            t.condition_due = due
            t.updated_at = _now()
            s.flush()
            self._audit(s, actor, "condition", "task", t.id, before, self._task_snapshot(t))
        return self.task(task_id, as_of=max(met_on, date.today()))

    # --- statistics ---------------------------------------------------------------------------

    def stats(self, as_of: date | None = None, by: str = "agency", plan: int | None = None) -> list[dict]:
        """Counts per status and share done on time, per current lead agency or per plan."""
        as_of = _date(as_of, "as_of") or date.today()
        if by not in ("agency", "plan"):
            raise ValidationError("by", by, "dùng 'agency' hoặc 'plan'")
        groups: dict[Any, list[Status]] = defaultdict(list)
        names: dict[Any, dict] = {}
        with self._tx() as s:
            q = select(Task).where(Task.removed_in.is_(None))
            if plan is not None:
                q = q.where(Task.plan_id == plan)
            ld = self._load(s, q)
            for t in ld.tasks:
                status = self._state(ld, t, as_of)["status"]
                if by == "plan":
                    p = ld.plans[t.plan_id]
                    groups[p.id].append(status)
                    names[p.id] = {"id": p.id, "plan": p.number or p.title}
                    continue
                owners = {
                    self._current(ld.agencies, link.agency_id, as_of).id
                    for link in ld.links.get(t.id, [])
                    if link.role == "lead"
                }
                for a in owners or {0}:
                    groups[a].append(status)
                    ag = ld.agencies.get(a)
                    names[a] = {
                        "id": a,
                        "agency": ag.name if ag else "(chưa giao)",
                        "province": (ag.province or None) if ag else None,
                    }
        rows = [names[k] | track.counts(v) for k, v in groups.items()]
        return sorted(rows, key=lambda r: (-(r["on_time_rate"] or -1), -r["total"], str(r.get("agency", ""))))

    # --- indicators ---------------------------------------------------------------------------

    def record_value(
        self,
        indicator_id: int,
        period: str,
        value: float,
        *,
        actor: str,
        kind: str = "estimate",
        cumulative: bool = False,
        on: date | None = None,
        note: str | None = None,
    ) -> dict:
        """Record a value for a period; earlier values stay as revisions."""
        try:
            p = cal.parse_period(period)
        except ValueError as e:
            raise ValidationError("period", period, str(e)) from None
        kinds = {
            "estimate": "estimate",
            "uoc tinh": "estimate",
            "official": "official",
            "chinh thuc": "official",
        }
        if fold(kind) not in kinds:
            raise ValidationError("kind", kind, "dùng 'ước tính' (estimate) hoặc 'chính thức' (official)")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError("value", value, "giá trị phải là một số (dấu chấm thập phân)") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValidationError("value", value, "giá trị phải là một số hữu hạn")
        on = _date(on, "on") or date.today()
        with self._write() as s:
            ind = s.get(Indicator, indicator_id)
            if ind is None:
                raise NotFoundError(f"không có chỉ tiêu id {indicator_id}: xem `kehoach value --list`")
            v = IndicatorValue(
                indicator_id=ind.id,
                period=p.label,
                period_start=p.start,
                period_end=p.end,
                kind=kinds[fold(kind)],
                cumulative=cumulative,
                value=number,
                on=on,
                note=note,
                actor=actor,
                recorded_at=_now(),
            )
            s.add(v)
            s.flush()
            prior = s.scalars(
                select(IndicatorValue)
                .where(
                    IndicatorValue.indicator_id == ind.id,
                    IndicatorValue.period == p.label,
                    IndicatorValue.cumulative == cumulative,
                    IndicatorValue.id != v.id,
                )
                .order_by(IndicatorValue.id.desc())
            ).first()
            self._audit(
                s,
                actor,
                "value",
                "indicator",
                ind.id,
                None if prior is None else {"period": prior.period, "value": prior.value, "kind": prior.kind},
                {
                    "period": p.label,
                    "value": number,
                    "kind": v.kind,
                    "cumulative": cumulative,
                    "value_id": v.id,
                },
            )
        return self.indicator(indicator_id, as_of=max(on, date.today()))

    def _indicator_dict(
        self,
        ind: Indicator,
        values: list[IndicatorValue],
        agencies: list[str],
        plan: Plan,
        as_of: date,
    ) -> dict:
        known = [v for v in values if v.on <= as_of]
        # the value of a period: the latest official figure, else the latest estimate
        current: dict[tuple[str, bool], IndicatorValue] = {}
        for v in sorted(known, key=lambda v: (v.kind == "official", v.id)):
            current[(v.period, v.cumulative)] = v
        years = [int(y) for y in (ind.year or "").replace("–", "-").split("-") if y.strip().isdigit()]
        target_year = max(years) if years else (plan.period_end.year if plan.period_end else as_of.year)
        year_end = date(target_year, 12, 31)
        kw = dict(value=ind.value, lo=ind.min, hi=ind.max, lower_better=ind.lower_better)
        latest = max(
            current.values(),
            key=lambda v: (v.period_end, v.cumulative, v.period_start),
            default=None,
        )
        in_year = [v for v in current.values() if v.period_start.year == target_year]
        full_year = [v for v in in_year if v.period == str(target_year)]
        final = full_year[-1] if full_year else None
        if final is not None:
            evaluation = track.evaluate(ind.comparator, final.value, **kw)
        elif latest is None:
            evaluation = track.Evaluation.NO_DATA if as_of > year_end else track.Evaluation.NOT_DUE
        else:
            evaluation = track.Evaluation.NOT_DUE if as_of <= year_end else track.Evaluation.NO_DATA
        projection = None
        hard = False
        single_year = len(years) <= 1 or years[0] == years[-1]
        if single_year and final is None and in_year and ind.comparator != "qualitative":
            pts = [track.Point(cal.parse_period(v.period), v.value, v.cumulative) for v in in_year]
            projection = track.project_annual(pts, target_year, is_additive=track.additive(ind.name, ind.unit))
            hard = (
                projection is not None and track.evaluate(ind.comparator, projection, **kw) is track.Evaluation.MISSED
            )
        shown = final or latest
        rate = "%" in (ind.unit or "")
        last_year = None
        if shown is not None:
            prev = cal.parse_period(shown.period).last_year().label
            ly = current.get((prev, shown.cumulative))
            last_year = ly.value if ly else None
        share_base = final or (
            max(
                (v for v in in_year if v.cumulative or v.period_start.month == 1),
                key=lambda v: v.period_end,
                default=None,
            )
        )
        return {
            "id": ind.id,
            "plan_id": ind.plan_id,
            "plan": plan.number or plan.title,
            "group": ind.group,
            "name": ind.name,
            "text": ind.text,
            "year": ind.year,
            "comparator": ind.comparator,
            "target": ind.value,
            "min": ind.min,
            "max": ind.max,
            "unit": ind.unit,
            "lower_is_better": ind.lower_better,
            "agency": agencies,
            "latest": None
            if shown is None
            else {
                "period": shown.period,
                "value": shown.value,
                "kind": shown.kind,
                "cumulative": shown.cumulative,
            },
            "evaluation": evaluation.value,
            "share_of_target": track.share_of_target(
                ind.comparator,
                share_base.value if share_base else None,
                value=ind.value,
                lo=ind.min,
                lower_better=ind.lower_better,
            ),
            "change_on_last_year": track.change_on_last_year(shown.value if shown else None, last_year, points=rate),
            "change_unit": "điểm %" if rate else "%",
            "projection": projection,
            "hard_to_meet": hard,
            "values": [
                {
                    "id": v.id,
                    "period": v.period,
                    "value": v.value,
                    "kind": v.kind,
                    "cumulative": v.cumulative,
                    "on": _iso(v.on),
                    "actor": v.actor,
                }
                for v in sorted(values, key=lambda v: v.id)
            ],
        }

    def indicators(self, plan: int | None = None, as_of: date | None = None, text: str | None = None) -> list[dict]:
        """Indicators with their evaluation, share of target, change on last year and projection."""
        as_of = _date(as_of, "as_of") or date.today()
        with self._tx() as s:
            q = select(Indicator).where(Indicator.removed_in.is_(None))
            if plan is not None:
                q = q.where(Indicator.plan_id == plan)
            if text:
                q = q.where(Indicator.search.contains(fold(text), autoescape=True))
            inds = list(s.scalars(q.order_by(Indicator.plan_id, Indicator.position)))
            ids = [i.id for i in inds]
            plans = {p.id: p for p in s.scalars(select(Plan))}
            values: dict[int, list[IndicatorValue]] = defaultdict(list)
            names: dict[int, list[str]] = defaultdict(list)
            for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
                for v in s.scalars(
                    select(IndicatorValue).where(IndicatorValue.indicator_id.in_(chunk)).order_by(IndicatorValue.id)
                ):
                    values[v.indicator_id].append(v)
                for iid, name in s.execute(
                    select(IndicatorAgency.indicator_id, Agency.name)
                    .join(Agency)
                    .where(IndicatorAgency.indicator_id.in_(chunk))
                    .order_by(IndicatorAgency.indicator_id, IndicatorAgency.position)
                ):
                    names[iid].append(name)
            return [self._indicator_dict(i, values[i.id], names[i.id], plans[i.plan_id], as_of) for i in inds]

    def indicator(self, indicator_id: int, as_of: date | None = None) -> dict:
        as_of = _date(as_of, "as_of") or date.today()
        with self._tx() as s:
            ind = s.get(Indicator, indicator_id)
            if ind is None:
                raise NotFoundError(f"không có chỉ tiêu id {indicator_id}: xem `kehoach value --list`")
            plan_id = ind.plan_id
        found = [d for d in self.indicators(plan=plan_id, as_of=as_of) if d["id"] == indicator_id]
        if not found:
            raise NotFoundError(f"chỉ tiêu id {indicator_id} đã bị bỏ trong phiên bản mới của kế hoạch")
        return found[0]

    def set_lower_is_better(self, indicator_id: int, value: bool, *, actor: str) -> None:
        """Correct the guess of whether lower values are better for an indicator."""
        with self._write() as s:
            ind = s.get(Indicator, indicator_id)
            if ind is None:
                raise NotFoundError(f"không có chỉ tiêu id {indicator_id}")
            before = {"lower_is_better": ind.lower_better}
            ind.lower_better = value
            self._audit(s, actor, "edit", "indicator", ind.id, before, {"lower_is_better": value})

    # --- reporting ----------------------------------------------------------------------------

    @staticmethod
    def _duty_dict(d: ReportingDuty, reporters: list[Agency], recipient: Agency | None) -> dict:
        return {
            "id": d.id,
            "plan_id": d.plan_id,
            "text": d.text,
            "frequency": d.frequency,
            "frequency_vi": cal.FREQUENCY_VI.get(d.frequency, d.frequency),
            "day": d.day,
            "month_offset": d.month_offset,
            "extra_dates": list(d.extra_dates or []),
            "reporters": [a.name for a in reporters],
            "recipient": recipient.name if recipient else None,
            "starts": _iso(d.starts),
            "ends": _iso(d.ends),
            "source_frequency": d.source_frequency,
            "version": d.version,
        }

    def _duties(self, s: Session, plan: int | None = None) -> list[tuple[ReportingDuty, list[Agency], Agency | None]]:
        q = select(ReportingDuty).where(ReportingDuty.removed_in.is_(None))
        if plan is not None:
            q = q.where(ReportingDuty.plan_id == plan)
        ags = {a.id: a for a in s.scalars(select(Agency))}
        reps: dict[int, list[Agency]] = defaultdict(list)
        for r in s.scalars(select(DutyReporter).order_by(DutyReporter.duty_id, DutyReporter.position)):
            reps[r.duty_id].append(ags[r.agency_id])
        return [
            (d, reps[d.id], ags.get(d.recipient_id) if d.recipient_id else None)
            for d in s.scalars(q.order_by(ReportingDuty.plan_id, ReportingDuty.position))
        ]

    def duties(self, plan: int | None = None) -> list[dict]:
        with self._tx() as s:
            return [self._duty_dict(*row) for row in self._duties(s, plan)]

    def edit_duty(
        self,
        duty_id: int,
        *,
        actor: str,
        frequency: str | None = None,
        day: int | None = None,
        month_offset: int | None = None,
        extra_dates: list[date] | None = None,
        starts: date | None = None,
        ends: date | None = None,
        expected_version: int | None = None,
    ) -> dict:
        """Change a reporting regime derived from a plan (frequency, day, month, one-off dates)."""
        if frequency is not None and frequency not in cal.FREQUENCIES:
            raise ValidationError("frequency", frequency, f"dùng một trong {', '.join(cal.FREQUENCIES)}")
        if day is not None and not 1 <= day <= 31:
            raise ValidationError("day", day, "ngày trong tháng từ 1 đến 31")
        if month_offset is not None and not -11 <= month_offset <= 11:
            raise ValidationError("month_offset", month_offset, "số tháng lệch từ -11 đến 11")
        with self._write() as s:
            d = s.get(ReportingDuty, duty_id)
            if d is None:
                raise NotFoundError(f"không có chế độ báo cáo id {duty_id}: xem `kehoach calendar --duties`")
            if expected_version is not None and d.version != expected_version:
                raise ConflictError(f"chế độ báo cáo {duty_id} đã được người khác sửa: tải lại rồi sửa lại")
            fields = ("frequency", "day", "month_offset", "extra_dates", "starts", "ends")
            before = {k: getattr(d, k) for k in fields}
            for k, v in (
                ("frequency", frequency),
                ("day", day),
                ("month_offset", month_offset),
                ("starts", _date(starts, "starts")),
                ("ends", _date(ends, "ends")),
            ):
                if v is not None:
                    setattr(d, k, v)
            if extra_dates is not None:
                d.extra_dates = [_date(x, "extra_dates").isoformat() for x in extra_dates]
            s.flush()
            self._audit(s, actor, "edit", "duty", d.id, before, {k: getattr(d, k) for k in fields})
        return [x for x in self.duties() if x["id"] == duty_id][0]

    def submit_report(
        self,
        duty_id: int,
        agency: str,
        period: str,
        submitted_on: date,
        *,
        actor: str,
        note: str | None = None,
    ) -> dict:
        """Record that `agency` sent its report for `period` (a period label or a one-off date)."""
        submitted_on = _date(submitted_on, "submitted_on")
        with self._write() as s:
            rows = [r for r in self._duties(s) if r[0].id == duty_id]
            if not rows:
                raise NotFoundError(f"không có chế độ báo cáo id {duty_id}: xem `kehoach calendar --duties`")
            duty, reporters, _ = rows[0]
            matches = [a for a in reporters if any(n in a.search for n in _needles(agency))]
            if not matches:
                raise NotFoundError(
                    f"'{agency}' không phải đơn vị báo cáo của chế độ {duty_id}: {', '.join(a.name for a in reporters)}"
                )
            label = period if period in (duty.extra_dates or []) else None
            if label is None:
                try:
                    label = cal.parse_period(period).label
                except ValueError as e:
                    raise ValidationError("period", period, str(e)) from None
            sub = ReportSubmission(
                duty_id=duty.id,
                agency_id=matches[0].id,
                period=label,
                submitted_on=submitted_on,
                note=note,
                actor=actor,
                recorded_at=_now(),
            )
            s.add(sub)
            s.flush()
            self._audit(
                s,
                actor,
                "submit",
                "duty",
                duty.id,
                None,
                {"agency": matches[0].name, "period": label, "submitted_on": submitted_on},
            )
            return {
                "id": sub.id,
                "duty_id": duty.id,
                "agency": matches[0].name,
                "period": label,
                "submitted_on": _iso(submitted_on),
            }

    def calendar(
        self,
        start: date,
        end: date,
        *,
        as_of: date | None = None,
        agency: str | None = None,
        plan: int | None = None,
    ) -> list[dict]:
        """Every report due in [start, end]: who, to whom, period, cut-off, deadline, state."""
        start, end = _date(start, "start"), _date(end, "end")
        as_of = _date(as_of, "as_of") or date.today()
        out = []
        with self._tx() as s:
            subs: dict[tuple[int, int, str], date] = {}
            for sub in s.scalars(select(ReportSubmission).order_by(ReportSubmission.submitted_on)):
                if sub.submitted_on <= as_of:
                    subs.setdefault((sub.duty_id, sub.agency_id, sub.period), sub.submitted_on)
            for duty, reporters, recipient in self._duties(s, plan):
                lo = max(start, duty.starts) if duty.starts else start
                hi = min(end, cal.month_end(duty.ends.year, 12)) if duty.ends else end
                rule = cal.Rule(duty.frequency, duty.day, duty.month_offset) if duty.frequency != "once" else None
                extra = [date.fromisoformat(x) for x in duty.extra_dates or []]
                for occ in cal.occurrences(rule, extra, lo, hi):
                    for a in reporters:
                        if agency and not any(n in a.search for n in _needles(agency)):
                            continue
                        sent = subs.get((duty.id, a.id, occ.period))
                        state = (
                            "đúng hạn"
                            if sent and sent <= occ.due
                            else "trễ hạn"
                            if sent
                            else "quá hạn"
                            if as_of > occ.due
                            else "sắp tới"
                        )
                        out.append(
                            {
                                "id": f"{duty.id}-{a.id}-{occ.period}",
                                "duty_id": duty.id,
                                "plan_id": duty.plan_id,
                                "agency": a.name,
                                "agency_id": a.id,
                                "province": a.province or None,
                                "recipient": recipient.name if recipient else None,
                                "frequency": duty.frequency,
                                "period": occ.period,
                                "cutoff_start": _iso(occ.cutoff_start),
                                "cutoff_end": _iso(occ.cutoff_end),
                                "due": _iso(occ.due),
                                "submitted_on": _iso(sent),
                                "state": state,
                            }
                        )
        return sorted(out, key=lambda r: (r["due"], r["duty_id"], r["agency_id"]))

    def reporting_rates(self, as_of: date | None = None, start: date | None = None) -> list[dict]:
        """Per reporting agency: reports due by `as_of`, on time, late, missing, on-time rate."""
        as_of = _date(as_of, "as_of") or date.today()
        start = _date(start, "start") or date(as_of.year - 1, 1, 1)
        rows: dict[int, dict] = {}
        for occ in self.calendar(start, as_of, as_of=as_of):
            r = rows.setdefault(
                occ["agency_id"],
                {
                    "id": occ["agency_id"],
                    "agency": occ["agency"],
                    "province": occ["province"],
                    "due": 0,
                    "on_time": 0,
                    "late": 0,
                    "missing": 0,
                },
            )
            r["due"] += 1
            r[{"đúng hạn": "on_time", "trễ hạn": "late", "quá hạn": "missing"}.get(occ["state"], "missing")] += 1
        for r in rows.values():
            r["on_time_rate"] = round(r["on_time"] / r["due"] * 100, 1) if r["due"] else None
        return sorted(rows.values(), key=lambda r: (-(r["on_time_rate"] or 0), r["agency"]))

    # --- summary ------------------------------------------------------------------------------

    def summary(self, as_of: date | None = None) -> dict:
        """The register at a glance: tasks per lead agency, deadlines by quarter, indicators."""
        as_of = _date(as_of, "as_of") or date.today()
        tasks = self.tasks(as_of=as_of)
        per_agency: dict[str, int] = defaultdict(int)
        by_quarter: dict[str, int] = defaultdict(int)
        statuses: dict[str, int] = defaultdict(int)
        for t in tasks:
            for name in t["lead"] or ["(chưa giao)"]:
                per_agency[name] += 1
            statuses[t["status"]] += 1
            if t["recurring"]:
                by_quarter["thường xuyên"] += 1
            elif t["due"]:
                d = date.fromisoformat(t["due"])
                by_quarter[f"{d.year}-Q{(d.month - 1) // 3 + 1}"] += 1
            else:
                by_quarter["chờ điều kiện" if t["condition"] else "không có hạn"] += 1
        inds = self.indicators(as_of=as_of)
        evaluations: dict[str, int] = defaultdict(int)
        for i in inds:
            evaluations[i["evaluation"]] += 1
        return {
            "as_of": as_of.isoformat(),
            "plans": self.plans(),
            "tasks": len(tasks),
            "tasks_per_lead_agency": dict(sorted(per_agency.items(), key=lambda kv: (-kv[1], kv[0]))),
            "deadlines_by_quarter": dict(sorted(by_quarter.items())),
            "statuses": dict(sorted(statuses.items())),
            "indicators": len(inds),
            "indicator_evaluations": dict(sorted(evaluations.items())),
            "reporting_duties": len(self.duties()),
        }

    # --- audit --------------------------------------------------------------------------------

    @staticmethod
    def _audit(
        s: Session,
        actor: str,
        action: str,
        entity: str,
        entity_id: int,
        before: dict | None,
        after: dict | None,
    ) -> None:
        def clean(d: dict | None) -> dict | None:
            return None if d is None else {k: _iso(v) for k, v in d.items()}

        s.add(
            AuditEntry(
                at=_now(),
                actor=actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                before=clean(before),
                after=clean(after),
            )
        )

    def audit(self, entity: str | None = None, entity_id: int | None = None) -> list[dict]:
        with self._tx() as s:
            q = select(AuditEntry).order_by(AuditEntry.id)
            if entity:
                q = q.where(AuditEntry.entity == entity)
            if entity_id is not None:
                q = q.where(AuditEntry.entity_id == entity_id)
            return [
                {
                    "id": e.id,
                    "at": _iso(e.at),
                    "actor": e.actor,
                    "action": e.action,
                    "entity": e.entity,
                    "entity_id": e.entity_id,
                    "before": e.before,
                    "after": e.after,
                }
                for e in s.scalars(q)
            ]


def _needles(name: str | None) -> tuple[str, ...]:
    """What an agency filter matches, folded: as typed and as its canonical name (KH&ĐT → ...)."""
    if not name or not name.strip():
        return ()
    try:
        from .agencies import canonical

        full = canonical(name)
    except ImportError:  # without the agencies registry: match the text as typed
        full = name
    return tuple(dict.fromkeys([fold(name), fold(full)]))


def _looks_like_number(value: str) -> bool:
    """A document number such as `123/QĐ-UBND` or `86-CTr/TU`."""
    v = value.strip()
    return bool(v) and v[0].isdigit() and ("/" in v or "-" in v) and len(v) <= 200


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()
