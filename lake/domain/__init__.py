"""Domain rules in plain Python, tested without Spark: documents, OCR, ingest checks, silver rules, localities,
reference lists, the plan.

Imports `lake.core` and other `lake.domain` modules only.
"""
