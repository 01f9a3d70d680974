"""Catalog and lineage (issue 8): everything published about the lakehouse, derived from the table contracts
(`lake.core.contracts`), the jobs' read/write declarations (`jobs/*.py` READS/WRITES), the dbt manifest and the
Superset export in `dashboards/`.

- `lake.apps.metadata.dashboards`: reads the Superset export layout (databases, datasets, charts, dashboards).
- `lake.apps.metadata.lineage`: the lineage graph, landing scan batches → bronze → OCR → silver → gold → Superset.
- `lake.apps.metadata.openmetadata`: OpenMetadata 2.0 request bodies built in plain Python and pushed over HTTP
  with the standard library (`lakehouse catalog push`); the OpenMetadata SDK lives in its own virtualenv
  (`.venvs/openmetadata`) and the contract tests validate these bodies against its generated models.
- `lake.apps.metadata.exposures`: dbt exposures generated from `dashboards/` for the embedded dbt-docs catalog.
- `lake.platform.docs_server`, `lake.apps.docs_site`: serve the generated dbt docs on 127.0.0.1:LAKEHOUSE_CATALOG_PORT
  behind a directory login, as lakehouse-web.
"""
