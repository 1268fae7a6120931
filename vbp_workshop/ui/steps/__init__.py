"""The step workspaces: one module per step, their shared base and chrome."""
