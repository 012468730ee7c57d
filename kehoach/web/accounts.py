"""Accounts and roles: scrypt password hashes, users, trusted browsers, who may do what.

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
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..errors import AuthError, ForbiddenError, RateLimitedError
from ..store import Database
from ..store.users import Account
from ..store.web import ROLE_VI, ROLES
from ..track import ValidationError
from ..vn import fold

__all__ = ["AuthError", "ForbiddenError", "RateLimitedError", "Principal"]

# scrypt parameters: 16 MiB of memory per hash (OWASP's minimum is N=2^17 r=8 at 128 MiB or
# N=2^15 r=8 p=3; 2^15 with p=1 keeps a login near 50 ms on our 2-core machines).
_N, _R, _P = 2**15, 8, 1





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


def _principal(a: Account) -> Principal:
    return Principal(
        a["id"], a["username"], a["name"], a["role"], a["province"], a["agency_id"], a["agency"], a["email"],
        a["generation"],
    )  # fmt: skip


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
    made = db.users.create(
        username,
        hash_password(password),
        role=role,
        name=name or username,
        province=province,
        agency=agency,
        email=email,
        actor=actor,
    )
    return _principal(made)


def get_user(db: Database, user_id: int) -> Principal | None:
    found = db.users.get(user_id)
    return None if found is None else _principal(found)


def signed_in(db: Database, user_id: int) -> tuple[Principal | None, int]:
    """The active account of a session, and the audit log's last id: one query."""
    found, top = db.users.signed_in(user_id)
    return (None if found is None else _principal(found)), top


def users(db: Database, province: str | None = None) -> list[dict]:
    return [_principal(a).as_dict() | {"active": a["active"]} for a in db.users.all(province)]


def display_names(db: Database, usernames: Iterable[str]) -> dict[str, str]:
    """Who did something, as a page shows it: the account's name, else the name it was recorded
    under (a command line's user). One query, however many a task's page names."""
    wanted = set(usernames)
    found = db.users.names(wanted)
    return {username: found.get(username) or username for username in wanted}


def authenticate(db: Database, username: str, password: str) -> Principal:
    """The account whose password this is (scrypt: call it off the event loop)."""
    return _check(db.users.named(username), password)


def _check(found: Account | None, password: str) -> Principal:
    if found is None or not found["active"]:
        verify_password(password, _DUMMY)  # as long as a real check: timing does not tell
        raise AuthError("tên đăng nhập hoặc mật khẩu không đúng")
    if not verify_password(password, found["password_hash"]):
        raise AuthError("tên đăng nhập hoặc mật khẩu không đúng")
    return _principal(found)


def sign_in(db: Database, username: str, password: str, address: str, *, device: str | None = None) -> Principal:
    """`authenticate`, held to the login throttle every server process shares (`store/logins.py`):
    a failure is counted for the address (and for the account and the pair, if the account
    exists); while a count says wait, RateLimitedError says how long. `device`: the token of a
    browser that signed in to this account before (checked with `trusted`): others' failures
    do not hold it back."""
    found = db.users.named(username)
    keys = db.logins.keys(username, address, known=found is not None, device=device)
    wait = db.logins.wait(keys)
    if wait:
        raise RateLimitedError(f"đăng nhập sai nhiều lần: thử lại sau {wait} giây", wait)
    try:
        user = _check(found, password)
    except AuthError:
        db.logins.failed(keys)
        raise
    if wait is not None:  # failures were counted: they start again
        db.logins.succeeded(keys)
    return user


def set_password(db: Database, username: str, password: str, *, actor: str) -> None:
    if len(password) < 8:
        raise ValidationError("password", "***", "mật khẩu cần ít nhất 8 ký tự")
    db.users.set_password(username, hash_password(password), actor=actor)


def set_active(db: Database, username: str, active: bool, *, actor: str) -> None:
    """Lock an account (its sessions end, it can no longer log in) or unlock it; the history stays."""
    db.users.set_active(username, active, actor=actor)


def end_sessions(db: Database, user_id: int) -> None:
    """Refuse every session cookie issued to the account so far (logout, everywhere)."""
    db.users.end_sessions(user_id)


def officers_by_agency(db: Database) -> dict[tuple[str, str], list[Principal]]:
    """Active officers keyed by (folded agency name, province)."""
    out: dict[tuple[str, str], list[Principal]] = defaultdict(list)
    for a in db.users.officers():
        out[(fold(a["agency"] or ""), a["agency_province"] or "")].append(_principal(a))
    return out


# --- browsers that signed in before -----------------------------------------------------------------


def device_token(secret: str, username: str) -> str:
    """What a browser keeps after signing in to an account: it is then trusted by the login
    throttle for that account (no outsider's failures hold it back)."""
    name = username.strip().lower()
    mac = hmac.new(secret.encode(), f"device\x1f{name}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{base64.urlsafe_b64encode(name.encode()).decode()}.{mac}"


def trusted(secret: str, username: str, token: str | None) -> bool:
    """Whether a browser's device token is this account's."""
    return bool(token) and hmac.compare_digest(str(token), device_token(secret, username))
