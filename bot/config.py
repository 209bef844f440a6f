"""Settings from the environment (prefix ``GUANAI_``), read with pydantic-settings.

Nothing here does I/O at import time; :func:`load_settings` reads the
environment when the composition root asks for it.
"""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Deployment settings.

    Attributes:
        database_url: SQLAlchemy URL. ``sqlite:///path`` and ``postgresql://…``
            are accepted as written; the driver (pysqlite, psycopg 3) is chosen
            by :func:`bot.store.db.normalise_url`. Default: ``guanai.db`` in the
            working directory.
        telegram_token: Bot API token from @BotFather; the Telegram channel is
            off when empty.
        telegram_bot_username: the bot's username (without ``@``), for the
            invite deep link ``https://t.me/<username>?start=<code>``.
        telegram_api_url: Bot API base URL (``…/bot``), for a self-hosted Bot
            API server. Default: Telegram's.
        telegram_webhook_url: public HTTPS URL of ``/telegram/webhook``; polling
            when unset.
        telegram_webhook_secret: value Telegram sends in the
            ``X-Telegram-Bot-Api-Secret-Token`` header (1–256 chars of
            ``A-Z a-z 0-9 _ -``, Bot API ``setWebhook``).
        http_host, http_port: where the ASGI app listens.
        timezone: the school's IANA zone, used at the edges; storage is UTC.
        default_locale: ``zh_Hans`` or ``en``; a person's stored locale wins.
        invite_ttl_hours: lifetime of an invite code (issue 2: 72 h).
        confirm_staff_bindings: a new binding of a staff member or official
            waits for a school admin's confirmation (no access, no messages
            until then); off by default (docs/bindings.md).
        binding_expiry_days: a chat account not used for this many days is
            unlinked (0: never); binding_expiry_warning_days: it is warned
            this many days before.
        quiet_start, quiet_end: school-time window in which non-urgent messages
            wait (issue 2: 21:00–07:00).
        checkin_weekday, checkin_time: weekly check-in (0 = Monday; default
            Friday 18:00 school time).
        tick_seconds: how often the scheduler wakes the services.
        send_deadline_seconds: the longest one platform call may take in all
            (a hung or trickling answer is abandoned and the row retried).
        send_concurrency: sends in flight at once per worker (platform latency
            of 100–300 ms per call still allows the platform's full rate).
        urgent_reserved: of those, slots only urgent (incident) rows may use.
        claim_lease_seconds: how long a claimed row is held; a worker that
            stops mid-send leaves it to others after this.
        recipient_gap_seconds: with several workers, a recipient's next outbox row is
            claimed at least this long after the previous one was answered (any
            worker); within one worker the channel's pacer keeps the gap.
        telegram_messages_per_second, telegram_chat_gap_seconds,
        telegram_group_gap_seconds: how the pacer keeps Telegram's limits
            (30/s overall, 1/s per chat, 20/min per group; docs/delivery.md).
        roster_max_bytes, roster_max_rows, roster_max_merged_cells: a roster
            file beyond these is refused before it is expanded
            (``bot.adapters.roster_files.RosterLimits``).
        media_dir: the folder for the photos and voice messages of letters
            and replies (relative to the working directory unless absolute).
        school_name: the school a roster without a school sheet (only its 花名册)
            is imported into (``guanai import --school`` wins).
        wechat_*: the WeChat Official Account (app id/secret, callback token,
            EncodingAESKey for safe mode, API base URL — also used for token
            requests, so a proxy can stand in — and template message ids).
        web_base_url: the dashboard's public address (``https://care.example.edu.cn``) for the sign-in
            links sent in chat; default ``http://HTTP_HOST:HTTP_PORT``. Over HTTPS the session cookie is Secure.
        web_served: whether anything serves the dashboard at ``web_base_url``. ``guanai demo`` with piped
            input serves none, so ``/web`` says how to get one rather than sending a link that opens nothing.
        wechat_allow_plain: serve the Official Account in plain mode (no
            EncodingAESKey). Off by default: in plain mode WeChat's signature
            covers only token, timestamp and nonce, not the message body, so
            anyone who sees one signed request can send any body with it. Safe
            mode is the only mode whose body is authenticated (docs/privacy.md).
        wecom_*: the WeCom self-built app for staff (corp id, agent id, secret,
            callback token and EncodingAESKey, API base URL).
    """

    model_config = SettingsConfigDict(env_prefix="GUANAI_", extra="ignore")

    database_url: str = "sqlite:///guanai.db"
    telegram_token: str = ""
    telegram_bot_username: str = ""
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str = ""
    telegram_webhook_secret: str = ""
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    timezone: str = "Asia/Shanghai"
    default_locale: str = "zh_Hans"
    invite_ttl_hours: int = 72
    confirm_staff_bindings: bool = False
    binding_expiry_days: int = Field(default=365, ge=0)
    binding_expiry_warning_days: int = Field(default=14, ge=0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)
    checkin_weekday: int = 4
    checkin_time: time = time(18, 0)
    tick_seconds: float = 30.0
    web_base_url: str = ""
    web_served: bool = True
    send_deadline_seconds: float = Field(default=15.0, gt=0)
    send_concurrency: int = Field(default=16, ge=2)
    urgent_reserved: int = Field(default=2, ge=1)
    claim_lease_seconds: float = Field(default=30.0, gt=0)
    recipient_gap_seconds: float = Field(default=1.0, ge=0)
    telegram_messages_per_second: float = Field(default=29.0, ge=0)
    telegram_chat_gap_seconds: float = Field(default=1.0, ge=0)
    telegram_group_gap_seconds: float = Field(default=3.0, ge=0)
    roster_max_bytes: int = Field(default=20 * 1024 * 1024, gt=0)  # one school: RosterLimits says why
    roster_max_rows: int = Field(default=20_000, gt=0)
    roster_max_merged_cells: int = Field(default=100_000, ge=0)
    media_dir: str = "media"  # photos and voice messages of letters and replies (issue 8, item 4); never logged
    school_name: str = ""  # the school of a roster file without a school sheet (guanai import --school)
    # No personal data over Telegram, only a pointer to WeChat or the dashboard (issue 10, item 12).
    telegram_mainland_mode: bool = False
    # Retention (issue 10, item 4; bot.services.retention, docs/privacy.md). 0 keeps that kind forever.
    retention_years_after_leaving: int = Field(default=3, ge=0)
    retention_checkin_months: int = Field(default=12, ge=0)
    retention_outbox_days: int = Field(default=90, ge=0)
    retention_audit_years: int = Field(default=3, ge=0)

    # WeChat Official Account (服务号). Off when app id is empty.
    wechat_app_id: str = ""
    wechat_app_secret: str = ""
    wechat_token: str = ""  # the callback Token of the account's server configuration
    wechat_encoding_aes_key: str = ""  # 43 chars; empty = plain mode, refused unless wechat_allow_plain
    wechat_allow_plain: bool = False
    wechat_api_url: str = "https://api.weixin.qq.com"
    wechat_template_checkin: str = ""  # template message ids, used outside the 48 h window
    wechat_template_reminder: str = ""
    wechat_template_incident: str = ""
    wechat_template_account: str = ""  # "this chat was unlinked" to a WeChat account outside the window
    wechat_menu: bool = False  # create the custom menu at start-up
    # Template field per message part (title, child, time, detail, reply), JSON; empty = classic
    # first/keyword1–3/remark. Newer category templates: e.g. {"child":"thing1","time":"time2",...}.
    wechat_template_fields: dict[str, str] = {}
    wechat_template_value_chars: int = 200  # 20 for the newer category templates

    # WeCom (企业微信) self-built app, for staff. Off when corp id is empty.
    wecom_corp_id: str = ""
    wecom_agent_id: str = ""
    wecom_secret: str = ""
    wecom_token: str = ""
    wecom_encoding_aes_key: str = ""
    wecom_api_url: str = "https://qyapi.weixin.qq.com"

    @property
    def web_url(self) -> str:
        """The dashboard's base URL, without a trailing slash."""
        return (self.web_base_url or f"http://{self.http_host}:{self.http_port}").rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)  # raises ZoneInfoNotFoundError for an unknown zone
        return value

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in ("zh_Hans", "en"):
            raise ValueError("default_locale must be zh_Hans or en")
        return value

    @field_validator("checkin_weekday")
    @classmethod
    def _weekday(cls, value: int) -> int:
        if not 0 <= value <= 6:
            raise ValueError("checkin_weekday is 0 (Monday) to 6 (Sunday)")
        return value


def roster_limits(settings: Settings) -> dict[str, int]:
    """The roster limits of ``settings`` as ``RosterLimits`` keyword arguments."""
    return {"max_bytes": settings.roster_max_bytes, "max_rows": settings.roster_max_rows,
            "max_merged_cells": settings.roster_max_merged_cells}


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment, with explicit overrides.

    Raises:
        pydantic.ValidationError: a setting has an invalid value.
    """
    return Settings(**overrides)  # type: ignore[arg-type]
