"""Bronze ingest domain logic: plain Python, no Spark (the jobs in `jobs/` wrap it)."""
