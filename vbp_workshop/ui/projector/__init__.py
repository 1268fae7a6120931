"""The room: the projector window, what it pages through, and the live room behind it."""
