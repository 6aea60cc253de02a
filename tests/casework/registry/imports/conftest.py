"""Uploading a list as a caseworker and letting the import's worker run."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.accounts.models import Role, User
from casework.communes import setup, villages
from casework.registry.imports.models import ImportJob
from casework.registry.imports.tasks import run_one


@pytest.fixture
def caseworker(world, browser_for):
    return browser_for(world.own.people["caseworker"])


@pytest.fixture
def upload(client, caseworker):
    """``upload(data, name)``: post the file as the commune's caseworker; the response."""

    def send(data: bytes, name: str = "danh-sach.xlsx", headers=None):  # type: ignore[no-untyped-def]
        return client.post(
            "/tre-em/nhap",
            files={"file": (name, data, "application/octet-stream")},
            headers=headers or caseworker,
            follow_redirects=False,
        )

    return send


@pytest.fixture
def work(session_factory, clock, databases):
    """Run the import worker until no job waits (as the ticker would)."""

    def run() -> None:
        while run_one(
            session_factory,
            clock=clock,
            settings=databases.settings,
            worker="test",
            lease=timedelta(minutes=5),
        ):
            pass

    return run


@pytest.fixture
def job_of(session):
    """The job a redirect after an upload points at, read afresh."""

    def find(response) -> ImportJob:  # type: ignore[no-untyped-def]
        assert response.status_code == 303, response.text[:500]
        job_id = int(response.headers["location"].rsplit("/", 1)[1])
        session.expire_all()
        return session.get_one(ImportJob, job_id)

    return find


@pytest.fixture
def reread(session):
    """``reread(job)``: the job as the database holds it now."""

    def read(job: ImportJob) -> ImportJob:
        session.expire_all()
        return session.get_one(ImportJob, job.id)

    return read


@pytest.fixture
def imported(client, caseworker, work, job_of, upload, session):
    """``imported(data, mode)``: upload, dry run, choose ``mode``, import; the job."""

    def run(data: bytes, mode: str = "valid_only", name: str = "danh-sach.xlsx") -> ImportJob:
        job = job_of(upload(data, name))
        work()
        answer = client.post(
            f"/tre-em/nhap/{job.id}/nhap", data={"mode": mode}, headers=caseworker,
            follow_redirects=False,
        )  # fmt: skip
        assert answer.status_code == 303
        work()
        session.expire_all()
        return session.get_one(ImportJob, job.id)

    return run


@pytest.fixture
def thất_khê(session, now, world):
    """A commune set up as a province's would be: from the official list, with a village."""
    commune = setup.add_commune(session, code="06040", now=now)
    villages.add_village(session, commune_id=commune.id, name="Thôn Nà Pàn")
    admin = User(commune_id=commune.id, username="quantri.tk", full_name="Quản trị",
                 role=Role.admin, created_at=now)  # fmt: skip
    session.add(admin)
    session.commit()
    return commune, admin


@pytest.fixture
def admin(thất_khê, browser_for):
    return browser_for(thất_khê[1])


@pytest.fixture
def upload_to(client, admin):
    """``upload_to(path, data)``: post a list to an administration import as the commune's
    administrator; the response."""

    def send(path: str, data: bytes):  # type: ignore[no-untyped-def]
        return client.post(
            path,
            files={"file": ("danh-sach.xlsx", data, "application/octet-stream")},
            headers=admin,
            follow_redirects=False,
        )

    return send


@pytest.fixture
def run_import(client, admin, work, job_of, upload_to, reread):
    """``run_import(path, data, mode)``: upload, dry run, choose ``mode``, import; the job."""

    def run(path: str, data: bytes, mode: str = "valid_only") -> ImportJob:
        job = job_of(upload_to(path, data))
        work()
        answer = client.post(f"{path}/{job.id}/nhap", data={"mode": mode}, headers=admin,
                             follow_redirects=False)  # fmt: skip
        assert answer.status_code == 303
        work()
        return reread(job)

    return run
