"""Whole archives in batch: inputs, partitions, the local and Ray engines (the only place that imports Ray)."""
