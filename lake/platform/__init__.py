"""What the lake runs: the managed processes (Postgres, the SQL endpoint, the directory, Superset, the results
cache, the catalog docs, the search engine, the reading room) and the Spark runtime.

Imports `lake.core` and `lake.domain`, never `lake.apps`.
"""
