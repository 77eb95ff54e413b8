"""One file a schema revision; never edit a released one, add the next."""
