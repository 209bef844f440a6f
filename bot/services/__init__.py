"""Use cases: one function per use case, taking a unit of work and the ports it needs."""
