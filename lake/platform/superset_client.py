"""Superset's REST API (/api/v1) as a logged-in session: what the lifecycle (`lake.platform.superset`), the dashboards
as code, the tests and the benchmarks talk to a running Superset through. No process management here."""

from __future__ import annotations


class SupersetError(RuntimeError):
    """Superset refused a request or a setup step failed; the message has the status and the start of the body."""


class SupersetClient:
    """A logged-in requests session (JWT bearer + CSRF token) against Superset's /api/v1."""

    def __init__(self, base_url: str, session):
        self.base = base_url.rstrip("/")
        self.http = session

    @classmethod
    def login(cls, base_url: str, username: str, password: str, provider: str = "db") -> SupersetClient:
        """`provider="ldap"` for a person of the directory; "db" for the local `admin` automation account."""
        import requests

        http = requests.Session()
        base = base_url.rstrip("/")
        r = http.post(f"{base}/api/v1/security/login", timeout=60,
                      json={"username": username, "password": password, "provider": provider, "refresh": True})
        if r.status_code != 200:
            raise SupersetError(f"login as {username} failed: {r.status_code} {r.text[:200]}")
        http.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        r = http.get(f"{base}/api/v1/security/csrf_token/", timeout=60)
        r.raise_for_status()
        http.headers.update({"X-CSRFToken": r.json()["result"], "Referer": base})
        return cls(base, http)

    def request(self, method: str, path: str, ok=(200, 201), **kw):
        r = self.http.request(method, f"{self.base}{path}", timeout=kw.pop("timeout", 300), **kw)
        if r.status_code not in ok:
            raise SupersetError(f"{method} {path}: {r.status_code} {r.text[:500]}")
        return r

    def get(self, path: str, **kw) -> dict:
        return self.request("GET", path, **kw).json()

    def post(self, path: str, **kw) -> dict:
        return self.request("POST", path, **kw).json()

    def put(self, path: str, **kw) -> dict:
        return self.request("PUT", path, **kw).json()

    def list_all(self, resource: str, columns: list[str] | None = None, filters: str = "") -> list[dict]:
        out, page = [], 0
        while True:
            cols = f"columns:!({','.join(columns)})," if columns else ""
            q = f"({cols}{filters}page:{page},page_size:100)"
            res = self.get(f"/api/v1/{resource}/", params={"q": q})["result"]
            out.extend(res)
            if len(res) < 100:
                return out
            page += 1
