"""Evaluation of sitrep against corpora with gold labels (kept outside the project)."""
