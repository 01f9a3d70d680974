"""OCR domain logic (plain Python, no Spark): decode, prepare, OcrEngine.read, quality, searchable PDF.

A Spark job opens one :class:`lake.domain.ocr.engine.OcrEngine` per partition and reuses it for every page;
``engine.config_id`` identifies the configuration so pages already read with it can be skipped.
"""
