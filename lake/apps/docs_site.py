"""The catalog site: the generated dbt docs (`<lake root>/dbt/target`) behind a login against the directory.

A small FastAPI app run from the reading room's virtualenv (`.venvs/reading-room`, Debian's python3) as the
`lakehouse-web` account, on 127.0.0.1:LAKEHOUSE_CATALOG_PORT (`lake.platform.docs_server.CatalogDocs`).

| route                         | what                                                                   |
|-------------------------------|------------------------------------------------------------------------|
| `GET /login`, `POST /login`   | log in with the directory account (a bind as the person); a signed session cookie |
| `POST /logout`                | end the session                                                        |
| `GET /{path}`                 | a file of the dbt docs (`/` is index.html); needs a session            |

Who may read the catalog: the directory groups of CATALOG_GROUPS (stewards, analysts, admins). A locality
manager, the pipeline account or anybody else is refused at login (403); an anonymous page request is sent to
the login form (303), an anonymous file request (manifest.json, catalog.json, ...) answers 401.
"""

import html
from pathlib import Path
from urllib.parse import urlencode

from lake.core.settings import Settings

#: directory groups that may read the catalog site
CATALOG_GROUPS = frozenset({"steward", "analyst", "admin"})
SESSION_HOURS = 8

LOGIN_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Đăng nhập — Danh mục dữ liệu</title></head>
<body style="font-family: sans-serif; max-width: 360px; margin: 3rem auto;">
<h2>Danh mục dữ liệu</h2>
<p>Đăng nhập bằng tài khoản của kho dữ liệu dùng chung (cán bộ lưu trữ, phân tích, quản trị).</p>
{error}
<form method="post" action="/login">
  <input type="hidden" name="next" value="{next}">
  <p><label>Tên đăng nhập<br><input type="text" name="username" id="username" autocomplete="username" required>
  </label></p>
  <p><label>Mật khẩu<br><input type="password" name="password" id="password" autocomplete="current-password"
  required></label></p>
  <p><input type="submit" id="login" value="Đăng nhập"></p>
</form>
</body></html>
"""


def may_read(groups) -> bool:
    """>>> may_read(("steward",)), may_read(("quanly_001",)), may_read(())
    (True, False, False)
    """
    return bool(CATALOG_GROUPS & set(groups))


def safe_next(target: str) -> str:
    """Only a path of this site (no other host) after the login.

    >>> safe_next("/#!/model/x"), safe_next("//evil.example/"), safe_next("http://evil.example/")
    ('/#!/model/x', '/', '/')
    """
    return target if target.startswith("/") and not target.startswith("//") else "/"


def create_app(root: Path, authenticator, secret_key: str):
    from fastapi import FastAPI, Form, Request
    from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
    from starlette.middleware.sessions import SessionMiddleware

    root = root.resolve()
    app = FastAPI(title="Danh mục dữ liệu", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SessionMiddleware, secret_key=secret_key, session_cookie="danhmuc",
                       max_age=SESSION_HOURS * 3600, same_site="lax", https_only=False)

    def page(error: str | None, target: str, status: int) -> HTMLResponse:
        err = f'<p id="login-error" style="color: #b00">{html.escape(error)}</p>' if error else ""
        return HTMLResponse(LOGIN_PAGE.format(error=err, next=html.escape(safe_next(target), quote=True)),
                            status_code=status)

    @app.get("/login", response_class=HTMLResponse)
    def login_form(next: str = "/"):
        return page(None, next, 200)

    @app.post("/login")
    def login(request: Request, username: str = Form(...), password: str = Form(...), next: str = Form("/")):
        who = authenticator.authenticate(username.strip(), password)
        if who is None:
            return page("Tên đăng nhập hoặc mật khẩu không đúng.", next, 401)
        if not may_read(who.groups):
            return page("Tài khoản này không có quyền xem danh mục dữ liệu.", next, 403)
        request.session.clear()
        request.session.update(user=who.name, groups=list(who.groups))
        return RedirectResponse(safe_next(next), status_code=303)

    @app.post("/logout")
    def logout(request: Request):
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    @app.get("/{path:path}")
    def docs_file(request: Request, path: str = ""):
        if not request.session.get("user"):
            if path in ("", "index.html") or path.endswith(".html"):
                return RedirectResponse(f"/login?{urlencode({'next': '/' + path})}", status_code=303)
            return JSONResponse({"error": "cần đăng nhập"}, status_code=401)
        if not may_read(request.session.get("groups", ())):
            return JSONResponse({"error": "không có quyền"}, status_code=403)
        target = (root / (path or "index.html")).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return JSONResponse({"error": "không tìm thấy"}, status_code=404)
        return FileResponse(target, headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                                             "X-Frame-Options": "DENY"})

    return app


def main() -> None:
    """Entry point of the service process (`CatalogDocs.start`): the session secret comes through the environment."""
    import uvicorn

    from lake.apps.search.auth import DirectoryAuthenticator
    from lake.core.settings import get_settings

    settings: Settings = get_settings()
    from lake.core.secrets import take_env_secret

    secret = take_env_secret("LAKEHOUSE_CATALOG_SECRET_KEY")
    if len(secret) < 32:
        raise SystemExit("LAKEHOUSE_CATALOG_SECRET_KEY must hold the session secret (32+ characters)")
    app = create_app(settings.dbt_target_dir, DirectoryAuthenticator(settings), secret)
    uvicorn.run(app, host="127.0.0.1", port=settings.catalog_port, log_level="warning", access_log=False,
                proxy_headers=False, server_header=False)


if __name__ == "__main__":
    main()
