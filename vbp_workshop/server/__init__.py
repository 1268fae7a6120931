"""The phones' vote server (aiohttp, its own thread). Qt-free by contract: it reaches the GUI
only through the vote intake's queue."""
