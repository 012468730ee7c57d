"""Shared pieces of the store: settings, value helpers and the core of `Database`."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, cast, overload

from sqlalchemy import (
    Select,
    create_engine,
    event,
    func,
    or_,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from .. import track, vn
from ..model import Plan as PlanModel
from ..settings import Settings
from ..settings import load as load_settings
from ..track import ConflictError, NotFoundError, ValidationError, succession
from ..vn import fold
from .schema import (
    Agency,
    AgencyAlias,
    AuditEntry,
    Extension,
    Indicator,
    Plan,
    ReportingDuty,
    Task,
    TaskAgency,
)

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
    """The data folder as the settings resolve it (`KEHOACH_DATA_DIR`, else the XDG default)."""
    return load_settings().data_dir


def default_url() -> str:
    """The register's URL as the settings resolve it (`KEHOACH_DATABASE_URL`, else SQLite in the data folder)."""
    return load_settings().database_url


def _now() -> datetime:
    """The current moment in UTC, as timestamps are stored (the real clock: see `Core.now`)."""
    return datetime.now(UTC)


def utc_now() -> datetime:
    """The current moment in UTC (the real clock; `Core.now` reads the register's)."""
    return _now()


def iso_text(value: Any) -> Any:
    """A date or datetime as the register writes it in JSON (ISO, UTC); anything else as it is."""
    return _iso(value)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite returns naive datetimes; we store UTC
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="seconds")
    if isinstance(value, date):
        return _day(value)
    return value


@lru_cache(maxsize=4096)
def _day(value: date) -> str:
    """A date's ISO text, one string per date: a register holds millions of the same few."""
    return value.isoformat()


@overload
def _date(value: None, name: str) -> None: ...
@overload
def _date(value: date | str, name: str) -> date: ...
@overload
def _date(value: Any, name: str) -> date | None: ...
def _date(value: Any, name: str) -> date | None:
    """A date argument: a `date`, or text as people write it (`vn.parse_date`); None stays None."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        try:
            return vn.parse_date(value)
        except ValueError as e:
            raise ValidationError(name, value, str(e)) from None
    raise ValidationError(name, value, f"cần một ngày (viết như {vn.DATE_FORMS})")


# --- where an audit entry belongs ----------------------------------------------------------

PLANNED: dict[str, type[Task] | type[Indicator] | type[ReportingDuty]] = {
    "task": Task,
    "indicator": Indicator,
    "duty": ReportingDuty,
}  # the records of one plan


def _whereabouts(entity: str, entity_id: int) -> tuple[Any, Any]:
    """The plan and the province an entry about this record belongs to, as SQL its INSERT
    evaluates (no statement of its own): a plan's record its plan, a draft its province and
    the plan published from it; anything else (an account, an agency) none."""
    if entity == "draft":
        from .web import Draft

        return (
            select(Draft.plan_id).where(Draft.id == entity_id).scalar_subquery(),
            select(Draft.province).where(Draft.id == entity_id).scalar_subquery(),
        )
    if entity == "plan":
        plan: Any = entity_id
    elif entity in PLANNED:
        model = PLANNED[entity]
        plan = select(model.plan_id).where(model.id == entity_id).scalar_subquery()
    else:
        return None, None
    return plan, select(Plan.province).where(Plan.id == plan).scalar_subquery()


# --- IN lists ---------------------------------------------------------------------------------

CHUNK = 500  # values per IN list: well under SQLite's (999 before 3.32) and PostgreSQL's parameter limits


def _ids(values: Iterable[Any]) -> list[int]:
    """Distinct integer ids, sorted (so chunks and their queries are the same from call to call)."""
    return sorted({int(v) for v in values})


_RESERVED = 3  # connections kept for the calls made outside a unit


def _chunks(values: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _scoped(s: Session, q: Select, column: Any, values: Collection[Any] | None) -> list[Any]:
    """The rows of `q`; with `values`, only those whose `column` is one of them, asked a chunk at a time.

    Chunks come back one after another: a caller that needs one order across them sorts again.
    """
    if values is None:
        return list(s.scalars(q))
    return [row for chunk in _chunks(_ids(values)) for row in s.scalars(q.where(column.in_(chunk)))]


def _agencies_with_successors(s: Session, ids: Iterable[int]) -> dict[int, Agency]:
    """These agencies and every agency their `successor_id` chains reach: one query per step along them."""
    found: dict[int, Agency] = {}
    asked: set[int] = set()
    wanted = _ids(ids)
    while wanted:
        asked.update(wanted)
        new = [a for chunk in _chunks(wanted) for a in s.scalars(select(Agency).where(Agency.id.in_(chunk)))]
        found.update((a.id, a) for a in new)
        wanted = _ids(a.successor_id for a in new if a.successor_id and a.successor_id not in asked)
    return found


def current_agency(agencies: dict[int, Agency], agency_id: int, on: date) -> Agency:
    """The agency that holds `agency_id`'s work on `on`: along its successors merged by then."""
    ag = agencies[agency_id]
    seen = {ag.id}
    while ag.successor_id and ag.succeeded_on and ag.succeeded_on <= on:
        ag = agencies[ag.successor_id]
        if ag.id in seen:
            break
        seen.add(ag.id)
    return ag


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
    """A plan/v1 dict as given, once the typed model has read every field (`ValidationError`
    names the first one that breaks a rule: `tasks[3].deadline.due`)."""
    PlanModel.from_dict(plan)
    return cast(dict, plan)


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
    links: dict[int, list[Any]] = field(default_factory=dict)  # rows: task_id, agency_id, role
    updates: dict[int, list[Any]] = field(default_factory=dict)  # rows of STATUS_COLUMNS, or whole updates
    extensions: dict[int, list[Extension]] = field(default_factory=dict)
    frequency: dict[int, str] = field(default_factory=dict)


def _needles(name: str | None) -> tuple[str, ...]:
    """What an agency filter matches, folded: as typed and as its canonical name (KH&ĐT → ...)."""
    if not name or not name.strip():
        return ()
    try:
        from ..extract.agencies import canonical

        full = canonical(name)
    except ImportError:  # without the agencies registry: match the text as typed
        full = name
    return tuple(dict.fromkeys([fold(name), fold(full)]))


@lru_cache(maxsize=1)
def _forms() -> dict[str, list[str]]:
    """Canonical agency name → the other forms documents write (from data/agencies.toml)."""
    try:
        from ..extract.agencies import registry
    except ImportError:
        return {}
    out: dict[str, list[str]] = defaultdict(list)
    for form, name in registry().forms.items():
        out[name].append(form)
    return dict(out)


def _aliases(name: str) -> list[str]:
    """The name and its known forms, each once by folded spelling (`Sở Kế hoạch và Đầu tư`, `skhđt`...)."""
    seen: dict[str, str] = {}
    for alias in [name, *_forms().get(name, [])]:
        seen.setdefault(fold(alias), alias)
    return list(seen.values())


def _looks_like_number(value: str) -> bool:
    """A document number such as `123/QĐ-UBND` or `86-CTr/TU`."""
    v = value.strip()
    return bool(v) and v[0].isdigit() and ("/" in v or "-" in v) and len(v) <= 200


if TYPE_CHECKING:
    from .summaries import Summaries


def _alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return cfg


@lru_cache(maxsize=1)
def _head() -> str | None:
    """The newest migration (its scripts read once per process)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


@dataclass
class Unit:
    """A session every call of the store joins while it is open (a web request's, `Core.unit`):
    it connects when first used and holds that one connection until `finish`."""

    engine: Engine
    session: Session
    open: bool = True

    @staticmethod
    def end_current() -> None:
        """Commit and end the unit this context joins, if one is open: where the request's work
        ended (its thread), so that the commit needs no thread of its own."""
        unit = _ACTIVE.get()
        if unit is not None and unit.open:
            unit.finish(commit=True)

    def release(self) -> None:
        """Commit what was done so far and hand the connection back until the next statement,
        which takes one again: before a long wait (a file's upload) that needs none."""
        self.session.commit()
        self.session.close()

    def finish(self, commit: bool) -> None:
        """Commit (or roll back) and hand the connection back to the pool; blocking I/O."""
        try:
            if commit:
                self.session.commit()
        finally:
            # closed even when the commit failed: a copy of the context (a task started meanwhile)
            # then opens its own session instead of joining this one
            self.open = False
            self.session.close()


# the session of the transaction in progress in this thread (or task), with its engine
_ACTIVE: ContextVar[Unit | None] = ContextVar("kehoach_session", default=None)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


class Core:
    """Connection, migrations, transactions, agencies and the audit log.

    The contract every part of the store (`ingest`, `tasks`, `indicators`, `reporting`, the
    repositories `summaries`, `users`, `notes`, `logins`...) relies on, and the only one:
    `session()` / `writing()` (one transaction per call, joined by nested calls, by a
    `transaction()` block and by a request's `unit()`), `log(s, ...)` (an audit entry in the
    caller's session), `registry`, `soon_days`, `today()` / `now()`, and `summaries` (what the
    pages read, kept current by every write). A part calls another only through its public
    methods. (`_tx`, `_write` and `_audit` are the old names of `session`, `writing` and `log`,
    kept while parts still use them.)
    """

    summaries: Summaries

    def __init__(
        self,
        url: str | None = None,
        *,
        settings: Settings | None = None,
        registry: succession.Registry | None = None,
        soon_days: int | None = None,
        clock: vn.Clock | None = None,
    ) -> None:
        # the settings handed down (else resolved here once): URL, data folder, "soon"
        self.settings = settings if settings is not None else load_settings()
        self.url = url or self.settings.database_url
        self.soon_days = self.settings.soon_days if soon_days is None else soon_days
        self.clock: vn.Clock = clock or vn.utc_now
        self._registry = registry
        # pre-ping: a connection the server dropped (restart, failover) is replaced, not handed out
        kwargs: dict[str, Any] = {"pool_pre_ping": True}
        if self.url.startswith("sqlite"):
            path = self.url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30}
        elif self.url.startswith("postgresql"):
            # no JIT: its compiling cost a page's short queries 40 ms each, once their estimated
            # cost over a national register passed `jit_above_cost`, and saved nothing. Each
            # execution planned for its own values: psycopg prepares a statement run five times,
            # and PostgreSQL then settled on a generic plan for a province's counts and lists
            # (9 → 68 ms a query nationally, from the tenth request of a page on)
            kwargs["connect_args"] = {"options": "-c jit=off -c plan_cache_mode=force_custom_plan"}
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str | None = None, **kwargs: Any) -> Self:
        db = cls(url, **kwargs)
        db.migrate()
        return db

    def close(self) -> None:
        self.engine.dispose()

    def now(self) -> datetime:
        """The current moment in UTC, from the register's clock (timestamps are stored in UTC)."""
        return self.clock().astimezone(UTC)

    def today(self) -> date:
        """Today in the province (Asia/Ho_Chi_Minh), from the register's clock: every default `as_of`."""
        return vn.today(self.clock)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def registry(self) -> succession.Registry:
        if self._registry is None:
            self._registry = succession.load(self.settings.data_dir)
        return self._registry

    def migrate(self, revision: str = "head") -> None:
        """Run the Alembic migrations (packaged in kehoach/store/migrations) up to `revision`;
        a register already at the head is only read (every command and worker opens one)."""
        from alembic import command
        from alembic.runtime.migration import MigrationContext

        with self.engine.begin() as conn:
            if revision != "head" or MigrationContext.configure(conn).get_current_revision() != _head():
                cfg = _alembic_config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
        if revision == "head":
            self.summaries.ensure(self.today())  # a register migrated to 0005 is summarised once

    def rebuild_summaries(self) -> int:
        """Compute what the pages count and list again from the register's own rows (issue 14),
        after rows were loaded behind the store's back (a bulk COPY); returns the plans."""
        return self.summaries.rebuild(self.today())

    @contextmanager
    def transaction(self) -> Iterator[Self]:
        """Several calls, one transaction: every method called inside the block (on this
        database, in this thread) joins it. Nothing is committed until the block ends; an
        exception rolls all of it back (an import of many rows lands whole or not at all)."""
        with self.session():
            yield self

    @contextmanager
    def session(self) -> Iterator[Session]:
        """The session of the transaction in progress in this thread, or a new one in its own.

        Every read and write of the register goes through here: a call made while another is
        in progress (a write that reads what it needs, a `transaction()` block) joins its
        transaction instead of opening a second connection.
        """
        current = _ACTIVE.get()
        if current is not None and current.engine is self.engine and current.open:
            yield current.session
            current.session.flush()  # the call's changes written at its end, as on its own
            return
        with self._sessions() as s, s.begin():
            unit = Unit(self.engine, s)
            token = _ACTIVE.set(unit)
            try:
                yield s
            finally:
                unit.open = False
                _ACTIVE.reset(token)

    @contextmanager
    def unit(self) -> Iterator[Unit]:
        """One session, one connection and one transaction for a unit of work (a web request):
        every call of the store in this context joins it. Nothing connects until the first
        statement; the caller ends it with `Unit.finish` (off the event loop), else it is
        rolled back when the block ends."""
        s = self._sessions()
        s.begin()
        unit = Unit(self.engine, s)
        token = _ACTIVE.set(unit)
        try:
            yield unit
        finally:
            _ACTIVE.reset(token)
            if unit.open:
                unit.finish(commit=False)

    @property
    def units_at_once(self) -> int:
        """How many units may hold a connection at once: the pool's, less a few for the calls
        made outside one (a login, an upload's job). A web server admits no more requests than
        that: more would take every thread to wait for a connection that the units holding them
        need a thread to give back."""
        pool = self.engine.pool
        size = pool.size() + max(0, getattr(pool, "_max_overflow", 0)) if hasattr(pool, "size") else 8
        return max(1, size - _RESERVED)

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """A part of the transaction that may fail alone and be tried again: a savepoint when the
        call joins a transaction already in progress (a request's), else nothing more."""
        current = _ACTIVE.get()
        if current is None or current.engine is not self.engine or not current.open:
            yield
            return
        with current.session.begin_nested():
            yield

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """`session()` for a write: a concurrent change to a versioned row is a ConflictError."""
        try:
            with self.session() as s:
                yield s
        except StaleDataError as e:
            raise ConflictError(f"bản ghi đã được người khác cập nhật cùng lúc: tải lại rồi thử lại ({e})") from e

    # the names every part of the store used before `session` and `writing` were public
    _tx = session
    _write = writing

    # --- agencies -----------------------------------------------------------------------------

    def _agency(self, s: Session, name: str, province: str, cache: dict) -> Agency:
        name = " ".join(name.split())
        key = (name, province)
        if key in cache:
            return cast(Agency, cache[key])
        ag = s.scalar(select(Agency).where(Agency.name == name, Agency.province == province))
        if ag is None:
            ag = Agency(name=name, province=province, search=fold(name))
            s.add(ag)
            s.flush()
            for alias in _aliases(name):
                s.add(AgencyAlias(agency_id=ag.id, alias=alias, search=fold(alias)))
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
        with self.session() as s:
            cache: dict = {}
            before = {a.id: (a.successor_id, a.succeeded_on) for a in s.scalars(select(Agency))}
            for ag in list(s.scalars(select(Agency).order_by(Agency.id))):
                self._link_successors(s, ag, cache)
            s.flush()
            moved = [
                a.id
                for a in s.scalars(select(Agency))
                if before.get(a.id, (None, None)) != (a.successor_id, a.succeeded_on)
            ]
            if moved:
                self.log(s, actor, "refresh", "agency", 0, None, {"changed": len(moved)})
                self.summaries.agencies_moved(s, moved)
            return len(moved)

    _current = staticmethod(current_agency)  # the name the parts of the store used

    def find_agency(self, name: str, province: str | None = None) -> list[dict]:
        """Agencies whose name or alias contains `name`, ignoring case and diacritics."""
        with self.session() as s:
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
        as_of = as_of or self.today()
        with self.session() as s:
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
                owned[current_agency(ags, agency_id, as_of).id] += 1
        out = []
        for a in ags.values():
            cur = current_agency(ags, a.id, as_of)
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
        with self.session() as s:
            ags = {a.id: a for a in s.scalars(select(Agency))}
        if agency_id not in ags:
            raise NotFoundError(f"không có cơ quan id {agency_id}", what="agency")
        chain, ag, seen = [self._agency_dict(ags[agency_id])], ags[agency_id], {agency_id}
        while ag.successor_id and ag.successor_id not in seen:
            ag = ags[ag.successor_id]
            seen.add(ag.id)
            chain.append(self._agency_dict(ag))
        return chain

    # --- audit --------------------------------------------------------------------------------

    @staticmethod
    def log(
        s: Session,
        actor: str,
        action: str,
        entity: str,
        entity_id: int,
        before: dict | None,
        after: dict | None,
    ) -> None:
        """An audit entry, in the caller's session (so in its transaction): every change has one,
        with the plan and province its record belongs to (`_whereabouts`)."""

        def clean(d: dict | None) -> dict | None:
            return None if d is None else {k: _iso(v) for k, v in d.items()}

        s.flush()  # the record as this transaction left it, for the entry's plan and province
        plan_id, province = _whereabouts(entity, entity_id)
        s.add(
            AuditEntry(
                at=_now(),
                actor=actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                before=clean(before),
                after=clean(after),
                plan_id=plan_id,
                province=province,
            )
        )

    _audit = log  # the name the parts of the store used

    def last_audit_id(self) -> int:
        """The audit log's last id (its primary key: one lookup); 0 when empty."""
        with self.session() as s:
            return s.scalar(select(func.max(AuditEntry.id))) or 0

    def audited_kinds(self, after: int, upto: int) -> set[str]:
        """The kinds of record (`task`, `plan`, ...) the audit entries after `after` up to `upto` are about."""
        with self.session() as s:
            return set(s.scalars(select(AuditEntry.entity).where(AuditEntry.id > after, AuditEntry.id <= upto)))

    def audited_ids(self, entity: str, after: int, upto: int, limit: int) -> set[int] | None:
        """The records of one kind the audit entries after `after` up to `upto` are about; None
        when there are more than `limit` of them."""
        with self.session() as s:
            q = select(AuditEntry.entity_id).where(
                AuditEntry.id > after, AuditEntry.id <= upto, AuditEntry.entity == entity
            )
            found = set(s.scalars(q.limit(limit + 1)))
        return None if len(found) > limit else found

    def audit(
        self,
        entity: str | None = None,
        entity_id: int | None = None,
        *,
        limit: int | None = None,
        plans: Collection[int] | None = None,
        newest_first: bool = False,
    ) -> list[dict]:
        """The audit log, oldest first (`newest_first`: newest first), at most `limit` entries.

        `plans`: only the entries about those plans — the plan itself, its tasks, indicators
        and reporting duties (removed or not) and the draft published as it, by the plan each
        entry was written with.
        """
        if limit is not None and limit < 0:
            raise ValidationError("limit", limit, "số mục phải từ 0 trở lên")
        order = AuditEntry.id.desc() if newest_first else AuditEntry.id.asc()
        with self.session() as s:
            if plans is None:
                q = select(AuditEntry).order_by(order)
                if entity:
                    q = q.where(AuditEntry.entity == entity)
                if entity_id is not None:
                    q = q.where(AuditEntry.entity_id == entity_id)
                if limit is not None:
                    q = q.limit(limit)
                entries = list(s.scalars(q))
            else:
                entries = []
                for chunk in _chunks(_ids(plans)):
                    entries += s.scalars(self._plan_audit(chunk, entity, entity_id, limit, newest_first))
                entries.sort(key=lambda e: e.id, reverse=newest_first)
                entries = entries[:limit] if limit is not None else entries
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
                for e in entries
            ]

    @staticmethod
    def _plan_audit(
        plans: list[int], entity: str | None, entity_id: int | None, limit: int | None, newest_first: bool
    ) -> Select:
        """The entries about these plans (the plan, its tasks, indicators, duties and the drafts
        published as it), newest (or oldest) first, through the index on each entry's plan."""
        q = select(AuditEntry).where(AuditEntry.plan_id.in_(plans))
        if entity:
            q = q.where(AuditEntry.entity == entity)
        if entity_id is not None:
            q = q.where(AuditEntry.entity_id == entity_id)
        q = q.order_by(AuditEntry.id.desc() if newest_first else AuditEntry.id.asc())
        return q.limit(limit) if limit is not None else q
