"""Deterministic sample archive generator: a small Hà Nội digitization programme (agencies, handover reports,
inventories, scan batches with realistic page images) plus the ground truth to evaluate the pipeline.

    from lakehouse_sample import generate_archive, SampleSummary
"""

from lakehouse_sample.generator import SampleSummary, generate_archive

__all__ = ["SampleSummary", "generate_archive"]
