"""Accounts and roles: scrypt password hashes, users, the login rate limit, who may do what.

Roles: `admin` (everything), `office` (the synthesizing office of a province: sees and
manages all of its plans), `officer` (a department's officer: sees the province's plans,
updates tasks its department leads, comments where it coordinates, enters values for the
indicators it monitors) and `leader` (reads everything of the province, dashboards).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from ..errors import KehoachError
from ..store import Agency, Database
from ..store.web import ROLE_VI, ROLES, User, audit, now, session
from ..track import NotFoundError, ValidationError
from ..vn import fold

# scrypt parameters: 16 MiB of memory per hash (OWASP's minimum is N=2^17 r=8 at 128 MiB or
# N=2^15 r=8 p=3; 2^15 with p=1 keeps a login near 50 ms on our 2-core machines).
_N, _R, _P = 2**15, 8, 1


class AuthError(KehoachError):
    """Not logged in, or the login failed."""


class ForbiddenError(KehoachError):
    """Logged in, but this account may not do that."""


class RateLimitedError(KehoachError):
    """Too many failed logins: wait before trying again."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, maxmem=64 * 2**20, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if algo != "scrypt":
        return False
    got = hashlib.scrypt(
        password.encode("utf-8"),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        maxmem=64 * 2**20,
        dklen=32,
    )
    return hmac.compare_digest(got, base64.b64decode(digest))


# A hash to check against when the user does not exist, so timing does not tell.
_DUMMY = hash_password(secrets.token_urlsafe(8))


@dataclass(frozen=True)
class Principal:
    """The logged-in account, as the permission checks see it."""

    id: int
    username: str
    name: str
    role: str
    province: str | None
    agency_id: int | None
    agency: str | None  # the department's name
    email: str | None = None
    generation: int = 0  # the account's session generation; see `end_sessions`

    @property
    def role_vi(self) -> str:
        return ROLE_VI.get(self.role, self.role)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "username": self.username,
            "name": self.name,
            "role": self.role,
            "role_vi": self.role_vi,
            "province": self.province,
            "agency_id": self.agency_id,
            "agency": self.agency,
            "email": self.email,
        }

    # --- what the role allows -----------------------------------------------------------------

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise ForbiddenError(f"tài khoản {self.username} ({self.role_vi}) không được làm việc này")

    def sees_province(self, province: str | None, provinces: Callable[[str], str | None]) -> bool:
        """An admin sees every province; others their own, including provinces merged into it."""
        if self.role == "admin":
            return True
        if not self.province or not province:
            return False
        return province == self.province or provinces(province) == self.province

    @property
    def manages(self) -> bool:
        return self.role in ("admin", "office")


class LoginLimiter:
    """Failed logins per user name and per client address in a sliding window."""

    def __init__(self, attempts: int = 5, window: int = 900, clock: Callable[[], float] = time.monotonic) -> None:
        self.attempts, self.window, self.clock = attempts, window, clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> deque[float]:
        q, cutoff = self._failures[key], self.clock() - self.window
        while q and q[0] < cutoff:
            q.popleft()
        return q

    def check(self, *keys: str) -> None:
        for key in keys:
            q = self._recent(key)
            if len(q) >= self.attempts:
                wait = int(q[0] + self.window - self.clock()) + 1
                raise RateLimitedError(
                    f"đăng nhập sai quá {self.attempts} lần: thử lại sau {wait // 60 + 1} phút",
                    wait,
                )

    def failed(self, *keys: str) -> None:
        for key in keys:
            self._recent(key).append(self.clock())

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)


def _principal(u: User, agency: Agency | None) -> Principal:
    return Principal(
        u.id,
        u.username,
        u.name,
        u.role,
        u.province,
        u.agency_id,
        agency.name if agency else None,
        u.email,
        u.session_generation,
    )


def create_user(
    db: Database,
    username: str,
    password: str,
    *,
    role: str,
    name: str | None = None,
    province: str | None = None,
    agency: str | None = None,
    email: str | None = None,
    actor: str = "kehoach",
) -> Principal:
    """Add an account. An officer names its department (`agency`) in its province."""
    username = username.strip()
    if not username or len(username) > 100:
        raise ValidationError("username", username, "tên đăng nhập từ 1 đến 100 ký tự")
    if role not in ROLES:
        raise ValidationError("role", role, f"dùng một trong {', '.join(ROLES)}")
    if len(password) < 8:
        raise ValidationError("password", "***", "mật khẩu cần ít nhất 8 ký tự")
    if role != "admin" and not province:
        raise ValidationError("province", province, "tài khoản này cần tỉnh, thành phố")
    if role == "officer" and not agency:
        raise ValidationError("agency", agency, "cán bộ sở, ngành cần tên cơ quan")
    province = db.registry.province(province) if province else None
    with session(db) as s:
        if s.scalar(select(User).where(User.username == username)) is not None:
            raise ValidationError("username", username, "tên đăng nhập đã có")
        ag = None
        if agency:
            name_ = " ".join(agency.split())
            ag = s.scalar(select(Agency).where(Agency.name == name_, Agency.province == (province or "")))
            if ag is None:  # an agency with no task yet: register it
                ag = Agency(name=name_, province=province or "", search=fold(name_))
                s.add(ag)
                s.flush()
        u = User(
            username=username,
            password_hash=hash_password(password),
            name=name or username,
            role=role,
            province=province,
            agency_id=ag.id if ag else None,
            email=email,
            active=True,
            created_at=now(),
        )
        s.add(u)
        s.flush()
        audit(
            s,
            actor,
            "create",
            "user",
            u.id,
            None,
            {
                "username": username,
                "role": role,
                "province": province,
                "agency": ag.name if ag else None,
            },
        )
        return _principal(u, ag)


def get_user(db: Database, user_id: int) -> Principal | None:
    with session(db) as s:
        u = s.get(User, user_id)
        if u is None or not u.active:
            return None
        return _principal(u, s.get(Agency, u.agency_id) if u.agency_id else None)


def users(db: Database, province: str | None = None) -> list[dict]:
    with session(db) as s:
        q = select(User).order_by(User.id)
        if province:
            q = q.where(User.province == province)
        ags = {a.id: a for a in s.scalars(select(Agency))}
        return [
            _principal(u, ags.get(u.agency_id) if u.agency_id else None).as_dict() | {"active": u.active}
            for u in s.scalars(q)
        ]


def authenticate(db: Database, username: str, password: str) -> Principal:
    with session(db) as s:
        u = s.scalar(select(User).where(User.username == username.strip()))
        if u is None or not u.active:
            verify_password(password, _DUMMY)
            raise AuthError("tên đăng nhập hoặc mật khẩu không đúng")
        if not verify_password(password, u.password_hash):
            raise AuthError("tên đăng nhập hoặc mật khẩu không đúng")
        return _principal(u, s.get(Agency, u.agency_id) if u.agency_id else None)


def set_password(db: Database, username: str, password: str, *, actor: str) -> None:
    if len(password) < 8:
        raise ValidationError("password", "***", "mật khẩu cần ít nhất 8 ký tự")
    with session(db) as s:
        u = s.scalar(select(User).where(User.username == username))
        if u is None:
            raise NotFoundError(f"không có tài khoản {username}")
        u.password_hash = hash_password(password)
        u.session_generation += 1
        audit(s, actor, "password", "user", u.id, None, {"username": username})


def set_active(db: Database, username: str, active: bool, *, actor: str) -> None:
    """Lock an account (its sessions end, it can no longer log in) or unlock it; the history stays."""
    with session(db) as s:
        u = s.scalar(select(User).where(User.username == username))
        if u is None:
            raise NotFoundError(f"không có tài khoản {username}")
        if u.username == actor and not active:
            raise ValidationError("active", username, "không thể tự khóa tài khoản đang dùng")
        if u.active != active:
            u.active = active
            u.session_generation += 1
            audit(s, actor, "unlock" if active else "lock", "user", u.id, None, {"username": username})


def end_sessions(db: Database, user_id: int) -> None:
    """Refuse every session cookie issued to the account so far (logout, everywhere)."""
    with session(db) as s:
        u = s.get(User, user_id)
        if u is not None:
            u.session_generation += 1


def officers_by_agency(db: Database) -> dict[tuple[str, str], list[Principal]]:
    """Active officers keyed by (folded agency name, province)."""
    out: dict[tuple[str, str], list[Principal]] = defaultdict(list)
    with session(db) as s:
        ags = {a.id: a for a in s.scalars(select(Agency))}
        for u in s.scalars(select(User).where(User.role == "officer", User.active.is_(True))):
            ag = ags.get(u.agency_id) if u.agency_id else None
            if ag is not None:
                out[(fold(ag.name), ag.province or "")].append(_principal(u, ag))
    return out
