"""Contract checks run INSIDE the OpenMetadata virtualenv (`.venvs/openmetadata/bin/python -m` is not
possible there: the project is not installed in it, so run this file by path). Standard library +
openmetadata-ingestion only.

    om_validate.py payloads < requests.json   # [{"path": "/api/v1/tables", "body": {...}}, ...]
    om_validate.py workflows FILE...          # workflow YAMLs, env vars expanded as `metadata ingest` does

Payloads: the request class is found from the path through the SDK's own route table
(`metadata.ingestion.ometa.routes.ROUTES`) and the body validated with its generated pydantic model
(`extra='forbid'`). Workflows: `load_config_file` + `parse_workflow_config_gracefully`, the parser behind
`metadata ingest -c`. Prints one JSON object: {"results": [{"ok": bool, "name": ..., "error": ...}]}.
"""

from __future__ import annotations

import json
import pathlib
import sys


def _payloads(items: list[dict]) -> list[dict]:
    from metadata.ingestion.ometa import routes

    by_path: dict[str, type] = {}
    for cls_name, suffix in routes.ROUTES.items():
        cls = getattr(routes, cls_name, None)
        if cls is not None and cls_name.startswith(("Create", "AddLineage")):
            by_path.setdefault(suffix, cls)
    out = []
    for item in items:
        path = item["path"].removeprefix("/api/v1")
        cls = by_path.get(path)
        if cls is None:
            out.append({"ok": False, "name": path, "error": f"no request model for {path}"})
            continue
        try:
            cls.model_validate(item["body"])
            out.append({"ok": True, "name": f"{path} {cls.__name__}"})
        except Exception as exc:  # pydantic.ValidationError
            out.append({"ok": False, "name": f"{path} {cls.__name__}", "error": str(exc)[:2000]})
    return out


def _workflows(files: list[str]) -> list[dict]:
    from metadata.config.common import load_config_file
    from metadata.ingestion.api.parser import parse_workflow_config_gracefully

    out = []
    for f in files:
        try:
            config = load_config_file(pathlib.Path(f))
            parsed = parse_workflow_config_gracefully(config)
            src = parsed.source
            out.append({"ok": True, "name": f, "source_type": src.type, "service": src.serviceName,
                        "server": parsed.workflowConfig.openMetadataServerConfig.hostPort,
                        "config": json.loads(parsed.model_dump_json(exclude_none=True))})
        except Exception as exc:
            out.append({"ok": False, "name": f, "error": f"{type(exc).__name__}: {str(exc)[:2000]}"})
    return out


def main(argv: list[str]) -> int:
    mode = argv[0]
    if mode == "payloads":
        results = _payloads(json.load(sys.stdin))
    elif mode == "workflows":
        results = _workflows(argv[1:])
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps({"results": results}, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
