"""VBP Workshop: run a value-based partnership workshop offline."""

__version__ = "0.1.0"
