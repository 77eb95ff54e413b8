"""The HTTP API (FastAPI). Imported only by ``sitrep serve`` and the tests: FastAPI is not needed elsewhere."""
