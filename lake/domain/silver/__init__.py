"""Silver: pages become documents and records with their archival metadata, conformed across the 2025 reform.

Plain-Python domain glue used by the thin Spark jobs `jobs/silver_reference.py` and
`jobs/silver_documents.py`:

- `ordering`: the page order of a record (hồ sơ) over its scan files, duplicate content counted once;
- `records`: records from the inventories and scan sightings, their QC rules, their rows in every table;
- `incremental`: when a run rebuilds nothing, the touched records or every record;
- `inventory`: typed values of the delivered inventories (dates, retention, priority group, box, counts);
- `documents`: one record's pages → documents (inventory boundaries or detection), fields, restriction;
- `reference`: localities (old districts/communes, new communes, mapping) and agencies with custodians;
- `qc`: the QC rules and their severities;
- `rows`: the row hash that makes re-runs write nothing when nothing changed;
- `sync`: the Spark side of that (compare keys + row_hash with the live table, delete stale, insert new).
"""
