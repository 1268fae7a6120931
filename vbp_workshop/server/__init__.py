"""The phones' vote server (aiohttp), run in a process of its own (`process`, `child`); inside
it the server runs on one thread with its own event loop (`runner`). Qt-free by contract: it
reaches the GUI only through the vote intake's queue."""
