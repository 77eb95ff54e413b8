"""sitrep: verified, mapped, source-attributed records from conflict reporting."""

__version__ = "0.1.0"
