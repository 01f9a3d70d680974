"""The pipeline's job layer: the one registry of jobs (`registry`), the lake-wide run lock (`lock`) and the
run log with its OpenLineage events (`runlog`)."""
