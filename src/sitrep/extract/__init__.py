"""Extract: Document -> sentences, places, dates and figures with evidence."""

from sitrep.extract.pipeline import Extractor, verify_evidence

__all__ = ["Extractor", "verify_evidence"]
