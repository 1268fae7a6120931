"""The phones' intake: votes (`votes`) and ideas (`ideas`), each written by a thread of its own
with its own SQLite connection (`batch_writer`), acknowledged once on disk."""
