"""One module per page: setup, the five step workspaces, decisions and actions, summary."""
