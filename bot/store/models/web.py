"""The dashboard's sign-in: one-time links sent in chat, sessions, admins' TOTP, and edits made on the web."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models.base import Base, EncryptedString, EncryptedText


class WebLoginLink(Base):
    """A one-time sign-in link sent to a person in chat; only its SHA-256 is stored."""

    __tablename__ = "web_login_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WebSession(Base):
    """A signed-in browser: the cookie's SHA-256, its CSRF token, idle and absolute expiry.

    ``totp_at`` is set when school staff gave a valid TOTP code; until then
    their session reaches only the TOTP page. ``totp_failures`` counts wrong
    codes: the fifth ends the session.
    """

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    totp_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    totp_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # wrong codes given
    # First setup of the authenticator: a code sent to the person's chat must be typed before the key is shown.
    enrol_code_hash: Mapped[str | None] = mapped_column(String(64))
    enrol_ok_at: Mapped[datetime | None]


class StaffTotp(Base):
    """An admin's TOTP secret (RFC 6238), confirmed by a first valid code; the last step used stops replays."""

    __tablename__ = "staff_totp"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), unique=True)
    secret: Mapped[str] = mapped_column(EncryptedString("staff_totp.secret"))  # a stolen dump must not pass TOTP
    confirmed_at: Mapped[datetime | None]
    last_step: Mapped[int | None] = mapped_column(Integer)
    # Wrong codes given as this person, over all their sessions, since their last right one; every fifth locks
    # the sign-in for longer (a fresh /web link per five guesses must not give unlimited guesses, break9).
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None]


class DashboardEdit(Base):
    """A change to a child's card made on the dashboard: who, what, from, to, when."""

    __tablename__ = "dashboard_edits"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    # A card's values (an address, a phone, a health note): encrypted like the card itself.
    old_value: Mapped[str | None] = mapped_column(EncryptedText("dashboard_edits.old_value"))
    new_value: Mapped[str | None] = mapped_column(EncryptedText("dashboard_edits.new_value"))
    at: Mapped[datetime]
