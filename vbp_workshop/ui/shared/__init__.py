"""Widgets, table models and services every part of the window uses."""
