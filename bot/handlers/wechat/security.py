"""Who may call the WeChat / WeCom callback URLs: their configuration and WeChat's signature scheme.

Signatures are SHA-1 over the sorted ``token, timestamp, nonce[, Encrypt]``
(WeChat's scheme, computed with ``wechatpy``'s ``WeChatSigner``) and compared
with :func:`hmac.compare_digest` — ``wechatpy.utils.check_signature`` and
``WeChatCrypto.decrypt_message`` compare with ``!=``, which leaks timing.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from wechatpy.utils import WeChatSigner

from bot.config import Settings
from bot.domain.enums import Channel


@dataclass(frozen=True)
class CallbackConfig:
    """The server configuration of one callback URL.

    Attributes:
        channel: ``wechat`` (Official Account) or ``wecom`` (self-built app).
        token: the Token entered in the platform's server configuration.
        encoding_aes_key: the 43-character EncodingAESKey; empty = plain mode
            (Official Account only; WeCom always encrypts).
        receive_id: the app id (Official Account) or corp id (WeCom) the
            decrypted body must name.
    """

    channel: str
    token: str
    encoding_aes_key: str
    receive_id: str

    @property
    def safe_mode(self) -> bool:
        """Whether an EncodingAESKey is configured (bodies are AES-encrypted)."""
        return bool(self.encoding_aes_key)


def config_from_settings(settings: Settings, channel: str) -> CallbackConfig | None:
    """The callback configuration of ``channel`` from the settings, or None when it is not configured.

    The Official Account needs ``GUANAI_WECHAT_APP_ID`` and ``GUANAI_WECHAT_TOKEN``,
    and ``GUANAI_WECHAT_ENCODING_AES_KEY`` (safe mode) unless
    ``GUANAI_WECHAT_ALLOW_PLAIN`` is set (:func:`plain_mode_warning`); WeCom
    needs ``GUANAI_WECOM_CORP_ID``, ``GUANAI_WECOM_TOKEN`` and ``GUANAI_WECOM_ENCODING_AES_KEY``.
    """
    if channel == Channel.WECHAT.value:
        if not (settings.wechat_app_id and settings.wechat_token):
            return None
        if not settings.wechat_encoding_aes_key and not settings.wechat_allow_plain:
            return None  # plain mode: the body is not signed (plain_mode_warning)
        return CallbackConfig(channel, settings.wechat_token, settings.wechat_encoding_aes_key, settings.wechat_app_id)
    if channel == Channel.WECOM.value:
        if not (settings.wecom_corp_id and settings.wecom_token and settings.wecom_encoding_aes_key):
            return None
        return CallbackConfig(channel, settings.wecom_token, settings.wecom_encoding_aes_key, settings.wecom_corp_id)
    raise ValueError(f"not a WeChat channel: {channel}")


def plain_mode_warning(settings: Settings) -> str | None:
    """What to tell the operator about the Official Account's mode at start-up, or None (safe mode / not set up).

    Plain mode is refused unless ``GUANAI_WECHAT_ALLOW_PLAIN`` is set, and even
    then it is worth a warning: only safe mode's signature covers the body.
    """
    if not (settings.wechat_app_id and settings.wechat_token) or settings.wechat_encoding_aes_key:
        return None
    if settings.wechat_allow_plain:
        return ("WeChat callback in PLAIN mode (GUANAI_WECHAT_ALLOW_PLAIN): the signature does not cover the "
                "message body; set GUANAI_WECHAT_ENCODING_AES_KEY and use safe mode (安全模式) in production")
    return ("WeChat callback NOT served: plain mode is refused because its signature does not cover the message "
            "body; set GUANAI_WECHAT_ENCODING_AES_KEY (safe mode, 安全模式) or, for a test account only, "
            "GUANAI_WECHAT_ALLOW_PLAIN=true")


def signature(*parts: str) -> str:
    """WeChat's signature: SHA-1 hex of the sorted, concatenated parts."""
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def signature_ok(given: str | None, *parts: str) -> bool:
    """Constant-time check of a hex SHA-1 signature over ``parts``."""
    if not given:
        return False
    return hmac.compare_digest(signature(*parts).encode(), given.strip().lower().encode())
