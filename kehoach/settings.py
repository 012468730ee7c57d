"""Every setting kehoach reads, in one declarative table, resolved once and passed down.

`Settings` is the table: one field per setting, with its type, its default and its help in
Vietnamese (`SETTINGS` lists them for `--help` and the README). `load()` resolves them once,
in this order: defaults < the TOML file named by `KEHOACH_CONFIG` or `--config` (its keys at the
top or in a `[register]` or `[web]` table) < the environment (`KEHOACH_<NAME>`) < flags. The
result is handed to `Database(settings=…)`, `create_app(db, settings)` and the commands; nothing
else in kehoach reads the environment.
"""

from __future__ import annotations

import getpass
import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import SettingsError

_TRUE = ("1", "true", "yes", "on", "có")
_FALSE = ("0", "false", "no", "off", "không", "")


def setting(
    default: Any, help: str, *, group: str = "web", shown: str | None = None, minimum: int | None = None
) -> Any:
    """A field of `Settings`: its default, its help (Vietnamese), its README table (`register` or
    `web`), the default as the README shows it when it is computed, the least value of a number."""
    meta = {"help": help, "group": group, "shown": shown, "minimum": minimum}
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Settings:
    """Every setting, resolved (a computed default is filled in when the instance is made)."""

    # the register
    database_url: str = setting(
        "",
        "CSDL của sổ theo dõi: URL SQLAlchemy (postgresql+psycopg://người@máy/csdl khi triển khai).",
        group="register",
        shown="tệp SQLite `kehoach.db` trong thư mục dữ liệu",
    )
    data_dir: Path = setting(
        Path(),
        "Thư mục dữ liệu: CSDL nhúng, tệp minh chứng, tệp sáp nhập bổ sung của người dùng.",
        group="register",
        shown="`$XDG_DATA_HOME/kehoach`, thường là `~/.local/share/kehoach`",
    )
    files_dir: Path = setting(
        Path(), "Thư mục lưu tệp minh chứng (ngoài CSDL).", group="register", shown="`files` trong thư mục dữ liệu"
    )
    user: str = setting(
        "", "Người thực hiện ghi vào nhật ký khi thay đổi từ dòng lệnh.", group="register", shown="tên đăng nhập máy"
    )
    soon_days: int = setting(7, "Số ngày trước hạn được coi là sắp đến hạn.", group="register", minimum=0)
    # the web application
    secret_key: str = setting(
        "", "Khóa ký cookie phiên (mặc định: sinh một lần, lưu trong CSDL, mọi tiến trình dùng chung)."
    )
    https_only: bool = setting(False, "Cookie phiên chỉ gửi qua HTTPS (bật khi chạy sau TLS).")
    session_max_age: int = setting(8 * 3600, "Thời hạn phiên đăng nhập, giây.", minimum=60)
    login_attempts: int = setting(
        5, "Số lần đăng nhập sai (một tài khoản, một địa chỉ) trước khi phải chờ, thời gian chờ tăng dần.", minimum=1
    )
    login_window: int = setting(15 * 60, "Sau bao nhiêu giây không sai nữa thì quên số lần sai, giây.", minimum=1)
    max_upload_mb: int = setting(20, "Dung lượng tối đa của tệp tải lên, MB.", minimum=1)
    workers: int = setting(1, "Số tiến trình phục vụ của `kehoach serve`.", minimum=1)
    extract_timeout: int = setting(300, "Thời gian tối đa xử lý một tệp tải lên, giây.", minimum=1)
    extract_memory_mb: int = setting(2048, "Bộ nhớ tối đa của tiến trình xử lý một tệp tải lên, MB.", minimum=64)
    remind_days: int = setting(7, "Nhắc việc trước hạn nhiệm vụ và hạn báo cáo bao nhiêu ngày.", minimum=0)
    smtp_host: str = setting("", "Máy chủ SMTP gửi thư nhắc việc (trống: chỉ thông báo trong ứng dụng).")
    smtp_port: int = setting(25, "Cổng SMTP.", minimum=1)
    smtp_user: str = setting("", "Tên đăng nhập SMTP (trống: không xác thực).")
    smtp_password: str = setting("", "Mật khẩu SMTP.")
    smtp_starttls: bool = setting(False, "Dùng STARTTLS khi gửi thư.")
    mail_from: str = setting("kehoach@localhost", "Địa chỉ người gửi thư nhắc việc.")
    base_url: str = setting("http://127.0.0.1:8000", "Địa chỉ ứng dụng, dùng trong liên kết của thư.")
    language: str = setting("vi", "Ngôn ngữ giao diện mặc định: vi hoặc en.")

    def __post_init__(self) -> None:
        # the computed defaults: each from the settings it depends on, never from elsewhere
        data_dir = Path(self.data_dir) if str(self.data_dir) not in ("", ".") else _xdg_data_dir()
        computed = {
            "data_dir": data_dir,
            "files_dir": Path(self.files_dir) if str(self.files_dir) not in ("", ".") else data_dir / "files",
            "database_url": self.database_url or f"sqlite:///{data_dir / 'kehoach.db'}",
            "user": self.user or _login_name(),
        }
        for name, value in computed.items():
            object.__setattr__(self, name, value)

    @property
    def secret(self) -> str:
        """The key that signs sessions: the one set, else one made for this run."""
        return self.secret_key or _RUN_SECRET


_RUN_SECRET = secrets.token_urlsafe(32)


def _xdg_data_dir(env: Mapping[str, str] | None = None) -> Path:
    """`$XDG_DATA_HOME/kehoach`, else `~/.local/share/kehoach`: where data lives by the desktop's rule."""
    base = (os.environ if env is None else env).get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "kehoach"


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user with no name
        return "kehoach"


@dataclass(frozen=True)
class Setting:
    """One row of the table, as `--help` and the README show it."""

    name: str
    default: Any
    type: type
    help: str
    group: str
    shown: str | None
    minimum: int | None

    @property
    def env(self) -> str:
        return f"KEHOACH_{self.name.upper()}"

    @property
    def default_text(self) -> str:
        """The default as the README writes it."""
        return self.shown or f"`{self.default!r}`"


_TYPES = {"str": str, "int": int, "bool": bool, "Path": Path}
SETTINGS: tuple[Setting, ...] = tuple(
    Setting(
        f.name,
        f.default,
        _TYPES[str(f.type)],
        f.metadata["help"],
        f.metadata["group"],
        f.metadata["shown"],
        f.metadata["minimum"],
    )
    for f in fields(Settings)
    if f.default is not MISSING
)
BY_NAME = {s.name: s for s in SETTINGS}


def coerce(s: Setting, value: Any, source: str) -> Any:
    """A raw value (from TOML, the environment or a flag) as the setting's type; SettingsError else."""
    if s.type is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise SettingsError(f"thiết lập {s.env} = {value!r} ({source}): dùng true hoặc false")
    if s.type is int:
        least = "" if s.minimum is None else f" từ {s.minimum} trở lên"
        try:
            number = value if isinstance(value, int) and not isinstance(value, bool) else int(str(value).strip())
        except ValueError:
            number = None
        if number is None or isinstance(value, bool) or (s.minimum is not None and number < s.minimum):
            raise SettingsError(f"thiết lập {s.env} = {value!r} ({source}): cần một số nguyên{least}")
        return number
    if s.type is Path:
        return Path(str(value)).expanduser()
    return str(value)


def _from_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as e:
        raise SettingsError(f"tệp cấu hình {path}: không đọc được ({e.strerror or e})") from None
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"tệp cấu hình {path}: không phải TOML hợp lệ ({e})") from None
    values: dict[str, Any] = {}
    for key, value in data.items():
        items = value.items() if key in ("register", "web") and isinstance(value, dict) else [(key, value)]
        for name, v in items:
            if name not in BY_NAME:
                known = ", ".join(BY_NAME)
                raise SettingsError(f"tệp cấu hình {path}: không có thiết lập '{name}' (các thiết lập: {known})")
            values[name] = coerce(BY_NAME[name], v, f"tệp {path}")
    return values


def load(config: str | Path | None = None, env: Mapping[str, str] | None = None, **flags: Any) -> Settings:
    """Resolve every setting once: defaults < config file < environment < flags (None: not given).

    `config` names the TOML file (else `KEHOACH_CONFIG`); `env` is the environment to read
    (`os.environ` by default).
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {"data_dir": _xdg_data_dir(env)}
    path = config or env.get("KEHOACH_CONFIG")
    if path:
        values.update(_from_file(Path(path).expanduser()))
    for s in SETTINGS:
        if env.get(s.env) not in (None, ""):
            values[s.name] = coerce(s, env[s.env], "biến môi trường")
    for name, value in flags.items():
        if name not in BY_NAME:
            raise TypeError(f"no setting named {name!r}")
        if value is not None:
            values[name] = coerce(BY_NAME[name], value, "tùy chọn dòng lệnh")
    return Settings(**values)


def markdown_table(group: str) -> str:
    """The README's table of one group of settings (`register` or `web`), made from the table."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    rows += [f"| `{s.env}` | {s.default_text} | {s.help} |" for s in SETTINGS if s.group == group]
    return "\n".join(rows)
