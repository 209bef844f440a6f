"""The WeChat Official Account and WeCom channels.

Inbound: :mod:`~bot.handlers.wechat.inbound` (the callback endpoint: claim, run, answer),
:mod:`~bot.handlers.wechat.envelope` (is the request ours: signature, time, nonce, decryption),
:mod:`~bot.handlers.wechat.incoming` (what a push means),
:mod:`~bot.handlers.wechat.security` (configuration, signatures).
Outbound: :mod:`~bot.handlers.wechat.senders` (the outbox's senders, late
replies), :mod:`~bot.handlers.wechat.templates` (template messages),
:mod:`~bot.handlers.wechat.api` (the JSON APIs), :mod:`~bot.handlers.wechat.menu`,
:mod:`~bot.handlers.wechat.qr`. Text: :mod:`~bot.handlers.wechat.render`.
The composition root (``bot.bootstrap``) wires them.
"""
