"""The web application's settings: one declarative table, resolved once and passed down.

Order: defaults < TOML config file (`[web]` table) < environment (KEHOACH_<NAME>) < flags.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("secret_key", "", "Khóa ký cookie phiên (mặc định: sinh ngẫu nhiên mỗi lần chạy)."),
    Setting("https_only", False, "Cookie phiên chỉ gửi qua HTTPS (bật khi chạy sau TLS)."),
    Setting("session_max_age", 8 * 3600, "Thời hạn phiên đăng nhập, giây."),
    Setting("login_attempts", 5, "Số lần đăng nhập sai tối đa trong một cửa sổ thời gian."),
    Setting("login_window", 15 * 60, "Cửa sổ đếm đăng nhập sai, giây."),
    Setting("max_upload_mb", 20, "Dung lượng tối đa của tệp kế hoạch tải lên, MB."),
    Setting("soon_days", 7, "Số ngày trước hạn được coi là sắp đến hạn (bảng điều khiển)."),
    Setting("remind_days", 7, "Nhắc việc trước hạn nhiệm vụ và hạn báo cáo bao nhiêu ngày."),
    Setting("smtp_host", "", "Máy chủ SMTP gửi thư nhắc việc (trống: chỉ thông báo trong ứng dụng)."),
    Setting("smtp_port", 25, "Cổng SMTP."),
    Setting("smtp_user", "", "Tên đăng nhập SMTP (trống: không xác thực)."),
    Setting("smtp_password", "", "Mật khẩu SMTP."),
    Setting("smtp_starttls", False, "Dùng STARTTLS khi gửi thư."),
    Setting("mail_from", "kehoach@localhost", "Địa chỉ người gửi thư nhắc việc."),
    Setting("base_url", "http://127.0.0.1:8000", "Địa chỉ ứng dụng, dùng trong liên kết của thư."),
    Setting("language", "vi", "Ngôn ngữ giao diện mặc định: vi hoặc en."),
)


@dataclass(frozen=True)
class Settings:
    secret_key: str = ""
    https_only: bool = False
    session_max_age: int = 8 * 3600
    login_attempts: int = 5
    login_window: int = 15 * 60
    max_upload_mb: int = 20
    soon_days: int = 7
    remind_days: int = 7
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "kehoach@localhost"
    base_url: str = "http://127.0.0.1:8000"
    language: str = "vi"

    @property
    def secret(self) -> str:
        return self.secret_key or _RUN_SECRET


_RUN_SECRET = secrets.token_urlsafe(32)


def _coerce(value: Any, default: Any, name: str) -> Any:
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on", "có"):
            return True
        if text in ("0", "false", "no", "off", "không", ""):
            return False
        raise ValueError(f"thiết lập {name} = {value!r}: dùng true hoặc false")
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValueError(f"thiết lập {name} = {value!r}: cần một số nguyên") from None
    return str(value)


def load(config: str | Path | None = None, **flags: Any) -> Settings:
    """Resolve every setting: defaults < config file < environment < flags (None: not given)."""
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    path = config or os.environ.get("KEHOACH_CONFIG")
    if path and Path(path).exists():
        data = tomllib.loads(Path(path).read_text("utf-8")).get("web", {})
        values.update({k: v for k, v in data.items() if k in values})
    for s in SETTINGS:
        env = os.environ.get(f"KEHOACH_{s.name.upper()}")
        if env is not None:
            values[s.name] = env
    values.update({k: v for k, v in flags.items() if v is not None and k in values})
    known = {f.name for f in fields(Settings)}
    return Settings(**{s.name: _coerce(values[s.name], s.default, s.name) for s in SETTINGS if s.name in known})
