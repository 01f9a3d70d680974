"""The reading room (phòng đọc): FastAPI with server-rendered Jinja2 pages in Vietnamese, and the same routes as a
JSON API (`?format=json` or `Accept: application/json`).

| route                                   | what                                                          |
|-----------------------------------------|---------------------------------------------------------------|
| `GET /login`, `POST /login`, `POST /logout` | log in with the directory account; a signed session cookie |
| `GET /search`                           | search box, facets with counts, results with highlighted snippets, paging |
| `GET /documents/{code}`                 | metadata, page viewer (OpenSeadragon), page text, hits highlighted |
| `GET /documents/{code}/pages/{n}`       | one page: text, highlighted text, image address               |
| `GET /documents/{code}/pages/{n}/image` | the page image (JPEG from the access copy or the scan)        |
| `GET /documents/{code}/pdf`             | the document's searchable PDF                                 |
| `GET /documents/{code}/manifest.json`   | its IIIF Presentation 3 manifest                              |
| `GET /viewer/{path}`                    | OpenSeadragon's files (npm, installed by bootstrap)           |

Every route but the login form needs a session; a locality manager sees only their old districts (documents of
other districts answer 404, as if absent). Every view of a document, page, image, PDF or manifest is written to
the audit spool (`lake.platform.reading_room_audit`) before it is answered.
Run by `lakehouse services up` (`ReadingRoom`).
"""


import json
from pathlib import Path
from urllib.parse import urlencode

from lake.apps.search.auth import Authenticator, Principal
from lake.apps.search.mapping import INDEX_NAME
from lake.apps.search.query import FACETS, QueryError, SearchRequest, build_body, page_body, parse_response
from lake.core.settings import Settings
from lake.platform.reading_room_audit import AuditError, view_event, write_event

TEMPLATES = Path(__file__).resolve().parent / "templates"
FACET_TITLES = {"type": "Loại văn bản", "year": "Năm", "issuer": "Cơ quan ban hành", "district": "Quận/huyện cũ",
                "new_commune": "Xã/phường mới", "block": "Khối"}
SESSION_HOURS = 8


def viewer_dir(settings: Settings) -> Path:
    return settings.viewer_root / "node_modules" / "openseadragon" / "build" / "openseadragon"


class NotLoggedIn(Exception):
    pass


def create_app(settings: Settings, authenticator: Authenticator, secret_key: str, client):
    """The app; `client` reads the index (in the service: as the engine's read-only `reading_room` account)."""
    from fastapi import FastAPI, Form, HTTPException, Request
    from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
    from fastapi.templating import Jinja2Templates
    from starlette.middleware.sessions import SessionMiddleware

    templates = Jinja2Templates(directory=str(TEMPLATES))
    app = FastAPI(title="Phòng đọc — Kho dữ liệu dùng chung Hà Nội", docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.add_middleware(SessionMiddleware, secret_key=secret_key, session_cookie="phongdoc",
                       max_age=SESSION_HOURS * 3600, same_site="strict", https_only=False)

    def wants_json(request: Request) -> bool:
        if request.query_params.get("format") == "json":
            return True
        accept = request.headers.get("accept", "")
        return "application/json" in accept and "text/html" not in accept

    def user(request: Request) -> Principal:
        data = request.session.get("user")
        if not data:
            raise NotLoggedIn()
        return Principal(data["name"], tuple(data["groups"]))

    @app.exception_handler(NotLoggedIn)
    async def _not_logged_in(request: Request, exc: NotLoggedIn):
        if wants_json(request):
            return JSONResponse({"error": "Chưa đăng nhập."}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)

    @app.exception_handler(QueryError)
    async def _bad_query(request: Request, exc: QueryError):
        if wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=400)
        return templates.TemplateResponse(request, "error.html", {"message": str(exc), "user": None},
                                          status_code=400)

    def audit(request: Request, who: Principal, code: str, action: str, page: int | None = None,
              outcome: str = "granted") -> None:
        try:
            write_event(settings, view_event(who.name, code, action, page=page, outcome=outcome,
                                             client=request.client.host if request.client else None))
        except AuditError as exc:  # no view without its audit line
            raise HTTPException(503, "Không ghi được nhật ký truy cập; vui lòng thử lại sau.") from exc

    def fetch(who: Principal, code: str) -> dict | None:
        """The document (without page texts) when it exists in the caller's scope."""
        filters = [{"ids": {"values": [code]}}]
        scope = who.scope_districts
        if scope is not None:
            filters.append({"terms": {"district_code": scope}})
        hits = client.search(index=INDEX_NAME, body={"size": 1, "query": {"bool": {"filter": filters}},
                                                      "_source": {"excludes": ["pages.text"]}})["hits"]["hits"]
        return hits[0]["_source"] if hits else None

    def fetch_page(who: Principal, code: str, n: int, q: str | None) -> tuple[dict, dict] | None:
        req = SearchRequest.parse(q=q) if q else None
        body = page_body(code, n, req)
        scope = who.scope_districts
        if scope is not None:
            body["query"]["bool"]["filter"].append({"terms": {"district_code": scope}})
        hits = client.search(index=INDEX_NAME, body=body)["hits"]["hits"]
        if not hits:
            return None
        inner = hits[0]["inner_hits"]["pages"]["hits"]["hits"]
        if not inner:
            return None
        page = inner[0]["_source"]
        hl = inner[0].get("highlight", {}).get("pages.text.folded")
        return hits[0]["_source"], {**page, "html": hl[0] if hl else None}

    def not_found(request: Request, who: Principal, code: str, action: str, page: int | None = None):
        audit(request, who, code, action, page, outcome="not_found")
        raise HTTPException(404, "Không tìm thấy văn bản (hoặc văn bản không thuộc địa bàn của bạn).")

    # --- login -----------------------------------------------------------------------------------
    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/search"):
        return templates.TemplateResponse(request, "login.html", {"next": next, "error": None, "user": None})

    @app.post("/login")
    def login(request: Request, username: str = Form(...), password: str = Form(...), next: str = Form("/search")):
        who = authenticator.authenticate(username.strip(), password)
        error = None
        if who is None:
            error = "Tên đăng nhập hoặc mật khẩu không đúng."
        elif not who.may_read:
            error = "Tài khoản này không có quyền tra cứu tài liệu dùng chung."
        if error:
            return templates.TemplateResponse(request, "login.html", {"next": next, "error": error, "user": None},
                                              status_code=401 if who is None else 403)
        request.session.clear()
        request.session["user"] = {"name": who.name, "groups": list(who.groups)}
        safe_next = next if next.startswith("/") and not next.startswith("//") else "/search"
        return RedirectResponse(safe_next, status_code=303)

    @app.post("/logout")
    def logout(request: Request):
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    # --- search ----------------------------------------------------------------------------------
    @app.get("/")
    def home(request: Request):
        user(request)
        return RedirectResponse("/search", status_code=303)

    @app.get("/search")
    def search(request: Request):
        who = user(request)
        params = request.query_params
        facets = {name: params.getlist(name) for name in FACETS if params.getlist(name)}
        req = SearchRequest.parse(q=params.get("q"), page=params.get("page", 1), size=params.get("size", 10),
                                  date_from=params.get("date_from"), date_to=params.get("date_to"),
                                  sort=params.get("sort"), **facets)
        result = parse_response(client.search(index=INDEX_NAME, body=build_body(req, who.scope_districts)), req)
        if wants_json(request):
            return JSONResponse(result)

        def link(**change) -> str:
            items = [(k, v) for k, v in params.multi_items() if k not in change and k != "page"]
            for k, v in change.items():
                if v is not None:
                    items.append((k, v))
            return "/search?" + urlencode(items)

        def toggle(name: str, value: str) -> str:
            items = [(k, v) for k, v in params.multi_items() if k != "page" and not (k == name and v == value)]
            if value not in params.getlist(name):
                items.append((name, value))
            return "/search?" + urlencode(items)

        def page_link(n: int) -> str:
            items = [(k, v) for k, v in params.multi_items() if k != "page"] + [("page", str(n))]
            return "/search?" + urlencode(items)

        return templates.TemplateResponse(request, "search.html", {
            "user": who, "req": req, "q": params.get("q", ""), "result": result, "facet_titles": FACET_TITLES,
            "toggle": toggle, "page_link": page_link, "link": link, "qs": urlencode({"q": params.get("q", "")})})

    # --- documents -------------------------------------------------------------------------------
    @app.get("/documents/{code}")
    def document(request: Request, code: str, page: int = 1, q: str | None = None):
        who = user(request)
        doc = fetch(who, code)
        if doc is None:
            not_found(request, who, code, "document")
        n = min(max(page, 1), max(doc.get("page_count") or 1, 1))
        found = fetch_page(who, code, n, q)
        audit(request, who, code, "document", n)
        page_data = found[1] if found else None
        if wants_json(request):
            return JSONResponse({**doc, "pages": [{"n": p["n"], "url": f"/documents/{code}/pages/{p['n']}"}
                                                  for p in doc.get("pages", [])],
                                 "manifest": f"/documents/{code}/manifest.json", "pdf": f"/documents/{code}/pdf"})
        from lake.apps.search.indexer import BLOCK_NAMES

        return templates.TemplateResponse(request, "document.html", {
            "user": who, "doc": doc, "n": n, "page": page_data, "q": q or "", "block_names": BLOCK_NAMES,
            "qs": urlencode({"q": q}) if q else ""})

    @app.get("/documents/{code}/pages/{n}")
    def page(request: Request, code: str, n: int, q: str | None = None):
        who = user(request)
        found = fetch_page(who, code, n, q)
        if found is None:
            not_found(request, who, code, "page", n)
        doc, pg = found
        audit(request, who, code, "page", n)
        if not wants_json(request):
            return RedirectResponse(f"/documents/{code}?{urlencode({'page': n, **({'q': q} if q else {})})}",
                                    status_code=303)
        return JSONResponse({"document_code": code, "n": n, "page_count": doc.get("page_count"),
                             "text": pg.get("text"), "text_html": pg.get("html"),
                             "image": f"/documents/{code}/pages/{n}/image"})

    @app.get("/documents/{code}/pages/{n}/image")
    def page_image(request: Request, code: str, n: int):
        from lake.apps.search.pages import PageImageError, render_page

        who = user(request)
        doc = fetch(who, code)
        pg = next((p for p in (doc or {}).get("pages", []) if p["n"] == n), None)
        if pg is None:
            not_found(request, who, code, "image", n)
        audit(request, who, code, "image", n)
        try:
            data, _w, _h = render_page(settings.lake_root, pg.get("image") or {})
        except (PageImageError, OSError) as exc:
            raise HTTPException(404, f"Không có ảnh trang: {exc}") from exc
        return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})

    def viewed(request: Request, code: str, what: str) -> dict:
        """The document a reader asked for as a whole (`what`: pdf, manifest), audited; 404 when it is not theirs."""
        who = user(request)
        doc = fetch(who, code)
        if doc is None:
            not_found(request, who, code, what)
        audit(request, who, code, what)
        return doc

    @app.get("/documents/{code}/pdf")
    def pdf(request: Request, code: str):
        from lake.apps.search.pages import PageImageError, document_pdf

        doc = viewed(request, code, "pdf")
        try:
            data = document_pdf(settings.lake_root, doc.get("pages", []))
        except (PageImageError, OSError) as exc:
            raise HTTPException(404, f"Không có bản PDF: {exc}") from exc
        return Response(data, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{code}.pdf"'})

    @app.get("/documents/{code}/manifest.json")
    def manifest(request: Request, code: str):
        from lake.apps.search.iiif import document_manifest

        doc = viewed(request, code, "manifest")
        base = str(request.base_url).rstrip("/")
        return Response(document_manifest(doc, base, settings.lake_root), media_type="application/ld+json")

    @app.get("/viewer/{name:path}")
    def viewer_file(request: Request, name: str):
        user(request)
        root = viewer_dir(settings).resolve()
        path = (root / name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise HTTPException(404, "Không có tệp này.")
        return FileResponse(path)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        if wants_json(request) or request.url.path.endswith(("/image", "/pdf", ".json")):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(request, "error.html", {"message": exc.detail, "user": None},
                                          status_code=exc.status_code)

    app.state.json = json
    return app


def main() -> None:
    """Entry point of the service process (`ReadingRoom.start`): secrets come in through the environment."""
    import uvicorn

    from lake.apps.search.auth import DirectoryAuthenticator
    from lake.core.settings import get_settings

    settings = get_settings()
    from lake.core.secrets import take_env_secret
    from lake.platform import search_security
    from lake.platform.search_engine import connect

    secret = take_env_secret("LAKEHOUSE_READING_ROOM_SECRET_KEY")
    if len(secret) < 32:
        raise SystemExit("LAKEHOUSE_READING_ROOM_SECRET_KEY must hold the session secret (32+ characters)")
    env_var, _file = search_security.ACCOUNTS[search_security.READER]
    search_password = take_env_secret(env_var)
    ca_pem = take_env_secret("LAKEHOUSE_SEARCH_CA_PEM")
    if not search_password or not ca_pem:
        raise SystemExit(f"{env_var} and LAKEHOUSE_SEARCH_CA_PEM must hold the search engine's read-only account")
    client = connect(settings.search_port, search_security.READER, search_password, ca_pem, timeout=30)
    app = create_app(settings, DirectoryAuthenticator(settings), secret, client)
    uvicorn.run(app, host="127.0.0.1", port=settings.reading_room_port, log_level="warning", access_log=False,
                proxy_headers=False, server_header=False)


if __name__ == "__main__":
    main()
