"""Polls: the panel, the editor, hand counts, and the charts and views of a result."""
