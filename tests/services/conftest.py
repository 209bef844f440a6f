"""Fixtures the service tests share: the incident tests' school and runner (:mod:`tests.support.incident_world`)."""

from tests.support.incident_world import engine, world  # noqa: F401 — a test module may define its own
