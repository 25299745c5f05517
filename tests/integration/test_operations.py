from sqlalchemy import text


def test_liveness_answers_without_touching_the_database(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readiness_reports_the_database_and_schema_revision(client):
    body = client.get("/readyz").json()
    assert body["status"] == "ready" and body["revision"]


def test_readiness_fails_clearly_when_the_schema_is_behind(client, db):
    with db.engine.begin() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(text("UPDATE alembic_version SET version_num = 'old'"))
    try:
        response = client.get("/readyz")
        assert response.status_code == 503 and "heard db upgrade" in response.json()["reason"]
    finally:  # the PostgreSQL test database is shared by the tests of this process
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})


def test_metrics_expose_request_counts_and_job_gauges(client, world):
    client.get("/healthz")
    body = client.get("/metrics").text
    assert 'heard_http_requests_total{method="GET",route="/healthz",status="200"}' in body
    assert "heard_jobs" in body


def test_a_caller_supplied_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"x-request-id": "cad-1234"})
    assert response.headers["x-request-id"] == "cad-1234"


def test_an_unsafe_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"x-request-id": "<script>"})
    assert response.headers["x-request-id"] != "<script>"


def test_browsers_get_a_readable_error_page_and_the_api_gets_problem_json(client):
    page = client.get("/no-such-page", headers={"accept": "text/html"})
    assert page.status_code == 404 and "<h1>Not found</h1>" in page.text
    api = client.get("/api/v1/no-such-thing", headers={"accept": "text/html"})
    assert api.headers["content-type"] == "application/problem+json"


def test_an_auditor_reads_the_log_and_the_read_itself_is_audited(client, world):
    from heard.auth.permissions import Role

    auditor = world.client_for(client, "WMP", Role.AUDITOR)
    first = auditor.get("/api/v1/admin/audit").json()
    second = auditor.get("/api/v1/admin/audit").json()
    assert second[0]["action"] == "audit.read" and second[0]["seq"] == first[0]["seq"] + 1


def test_verifying_the_chain_through_the_api_reports_it_intact(client, world):
    from heard.auth.permissions import Role

    report = world.client_for(client, "WMP", Role.AUDITOR).post("/api/v1/admin/audit/verify")
    assert report.json()["ok"] is True and report.json()["entries_checked"] > 0
