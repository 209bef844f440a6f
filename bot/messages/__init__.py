"""The vocabulary every layer speaks: prompts, labels and button payloads.

This package sits at the bottom of the house (DESIGN.md, "Architecture"): it
imports nothing of the project, so the domain, services, flows, handlers,
scheduler and web app may all use it.

* :mod:`bot.messages.prompt` — :class:`~bot.messages.prompt.Prompt`,
  :class:`~bot.messages.prompt.Choice`, :class:`~bot.messages.prompt.PromptKind`,
  ``N_`` and the typed parameters (``dt``, ``day``, ``duration``, ``msg``,
  ``phone``, ``text``).
* :mod:`bot.messages.labels` — the one table of role, relation and channel labels.
* :mod:`bot.messages.payloads` — the encoder and decoder of every button payload.
"""
