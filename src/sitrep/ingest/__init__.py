"""Ingest: bytes to :class:`~sitrep.model.Document` (text, HTML, JSON Lines, URLs)."""

from sitrep.ingest.documents import document_from_text, parse_published
from sitrep.ingest.html import document_from_html
from sitrep.ingest.sources import InputOptions, read_inputs, read_jsonl

__all__ = [
    "InputOptions",
    "document_from_html",
    "document_from_text",
    "parse_published",
    "read_inputs",
    "read_jsonl",
]
