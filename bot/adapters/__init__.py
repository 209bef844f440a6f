"""Adapters at the edge of the house: reading the outside world's files into the domain's terms."""
