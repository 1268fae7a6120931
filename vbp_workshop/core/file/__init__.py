"""The workshop file: one SQLite file (`store`), its schema and the upgrades of older files."""
