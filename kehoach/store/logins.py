"""What keeps the web application's door, shared by every server process: failed logins
counted per account, per address and per both (`login_throttle`), and the secrets made once
(`shared_secrets`: the session cookies' key, when none is configured).

Throttling, not locking: after a few failures each further attempt must wait a delay that
doubles with every failure, up to a cap. A count is forgotten `WINDOW` after its last failure
or the end of the wait it set, whichever is later, so a patient guesser keeps waiting. Nothing
an outsider does locks an account: a browser that signed in to the account before (it shows a
device token, `web/routes/session.py`) has a count of its own, held back by nobody else's
failures; the caps keep the delays short for everyone else. Rows are keyed by a hash (never by
what the client sent), made only for failures, and deleted once stale: the table stays bounded.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .schema import LoginThrottle, SharedSecret

if TYPE_CHECKING:
    from . import Database

WINDOW = timedelta(minutes=15)  # failures further apart than this start counting again


@dataclass(frozen=True)
class Rule:
    """After `free` failures each further attempt waits 2, 4, 8... seconds, up to `cap`."""

    free: int
    cap: int  # seconds


RULES = {
    "pair": Rule(5, 15 * 60),  # one account from one address: a guesser
    "account": Rule(20, 60),  # one account from anywhere: a guesser with many addresses
    "address": Rule(50, 5 * 60),  # one address, any account: a shared office gateway has many users
}


def throttle_key(kind: str, *parts: str) -> str:
    return hashlib.sha256("\x1f".join((kind, *parts)).encode("utf-8")).hexdigest()


def _latest() -> Any:
    """When a count last did anything: its last failure, or the end of the wait it set."""
    return func.coalesce(LoginThrottle.wait_until, LoginThrottle.last_at)


def _aware(t: datetime | None) -> datetime | None:
    return t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t  # SQLite keeps naive UTC


class Logins:
    """The login throttle and the shared secrets of one register (`Database.logins`)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.rules, self.window = dict(RULES), WINDOW

    def configure(self, attempts: int, window: int) -> None:
        """The settings' failures allowed from one address to one account, and their window (s)."""
        self.rules["pair"] = Rule(attempts, RULES["pair"].cap)
        self.window = timedelta(seconds=window)

    def keys(self, username: str, address: str, *, known: bool, device: str | None = None) -> dict[str, str]:
        """The counts a login attempt is held to: its address's and, for an account that exists,
        the account's and the pair's. A browser that signed in to the account before (`device`,
        its checked token) has a count of its own instead: nobody else's failures hold it back."""
        name = username.strip().lower()[:100]
        if device:
            return {"pair": throttle_key("device", name, device)}
        out = {"address": throttle_key("address", address)}
        if known:
            out |= {"pair": throttle_key("pair", name, address), "account": throttle_key("account", name)}
        return out

    def wait(self, keys: dict[str, str]) -> int | None:
        """Seconds to wait before the next attempt under these counts: 0, go ahead; None, go ahead
        and nothing is counted (a success then has nothing to clear)."""
        now = self.db.now()
        with self.db.session() as s:
            until = [
                _aware(t)
                for t in s.scalars(
                    select(LoginThrottle.wait_until).where(
                        LoginThrottle.key.in_(list(keys.values())), _latest() >= now - self.window
                    )
                )
            ]
        if not until:
            return None
        late = max((t for t in until if t is not None), default=None)
        return 0 if late is None or late <= now else int((late - now).total_seconds()) + 1

    def failed(self, keys: dict[str, str]) -> None:
        """Count a failure under these keys (atomically, whichever process counts), and forget stale ones."""
        now = self.db.now()
        with self.db.writing() as s:
            s.execute(delete(LoginThrottle).where(_latest() < now - self.window - timedelta(hours=1)))
            dialect = s.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            for kind, key in sorted(keys.items(), key=lambda kv: kv[1]):
                new = insert(LoginThrottle).values(key=key, failures=1, last_at=now, wait_until=None)
                t = LoginThrottle.__table__.c
                stale = func.coalesce(t.wait_until, t.last_at) < now - self.window
                stmt = new.on_conflict_do_update(
                    index_elements=["key"],
                    set_={"failures": case((stale, 1), else_=t.failures + 1), "last_at": now},
                ).returning(LoginThrottle.failures)
                failures = s.execute(stmt).scalar_one()
                rule = self.rules[kind]
                if failures >= rule.free:  # the next attempt waits 2 s, then 4 s, 8 s...
                    delay = min(2 ** min(failures - rule.free + 1, 30), rule.cap)
                    s.execute(
                        update(LoginThrottle)
                        .where(LoginThrottle.key == key)
                        .values(wait_until=now + timedelta(seconds=delay))
                    )

    def succeeded(self, keys: dict[str, str]) -> None:
        """A login went through: its account's and pair's counts start again (the address's stay)."""
        done = [k for kind, k in keys.items() if kind != "address"]
        if done:
            with self.db.writing() as s:
                s.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(done)))

    def secret(self, name: str) -> str:
        """A secret made once for the whole register (the first process to ask makes it)."""
        with self.db.writing() as s:
            found = s.scalar(select(SharedSecret.value).where(SharedSecret.name == name))
            if found is not None:
                return found
            dialect = s.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            s.execute(
                insert(SharedSecret)
                .values(name=name, value=secrets.token_urlsafe(48))
                .on_conflict_do_nothing(index_elements=["name"])
            )
            return s.scalar(select(SharedSecret.value).where(SharedSecret.name == name)) or ""
