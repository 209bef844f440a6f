"""Pure rules of the care programme. No framework imports (tests/test_layers.py)."""
