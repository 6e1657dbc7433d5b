"""Two server processes on one database, as a county runs several workers: whatever one worker learns
about sign-ins, lockouts, enrolment codes and sessions, the other knows, because it is kept in the
database and not in a process's memory. Requests alternate between the two."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from sync.server.bootstrap import open_central
from sync.server.models import OfficeRole
from tests.support.processes import ServerProcess
from tests.sync.conftest import Central, new_database_url
from tests.sync.office.conftest import PASSWORD, add_user
from tests.sync.office.officeclient import _LOGIN, OfficeClient


class Workers:
    def __init__(self, first: ServerProcess, second: ServerProcess, central: Central) -> None:
        self.servers = (first, second)
        self.central = central
        self._turn = itertools.cycle(self.servers)

    def next(self) -> ServerProcess:
        return next(self._turn)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def workers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workers]:
    folder: Path = tmp_path_factory.mktemp(f"workers-{request.param}")
    url = new_database_url(request.param, request, folder)
    first = ServerProcess(url, folder / "first.log").start()  # migrates the database
    second = ServerProcess(url, folder / "second.log").start()
    central = Central(open_central(url, migrate=False))
    yield Workers(first, second, central)
    central.db.engine.dispose()
    second.stop()
    first.stop()


def on(server: ServerProcess, browser: OfficeClient) -> OfficeClient:
    """The same browser (its cookies), talking to this worker."""
    browser.base = server.url
    return browser


def test_a_session_started_on_one_worker_holds_on_the_other_and_ends_on_both(workers: Workers) -> None:
    school = workers.central.new_school("两个进程小学", demo=False)
    admin = add_user(workers.central, OfficeRole.SCHOOL_ADMIN, school_id=school.id)
    first, second = workers.servers
    browser = OfficeClient(first.url)
    browser.login(admin.username, admin.password)
    for server in (second, first, second):
        page = on(server, browser).get(f"/office/s/{school.id}/")
        assert page.status == 200 and "/office/login" not in page.url
    on(second, browser).post("/office/logout")
    for server in (first, second):
        assert "/office/login" in on(server, browser).get(f"/office/s/{school.id}/").url


def test_a_lockout_counted_across_both_workers_holds_on_both(workers: Workers) -> None:
    school = workers.central.new_school("两个进程小学", demo=False)
    admin = add_user(workers.central, OfficeRole.SCHOOL_ADMIN, school_id=school.id)
    browser = OfficeClient(workers.servers[0].url)
    for _ in range(5):
        assert (
            on(workers.next(), browser).login(admin.username, "wrong password", expect_ok=False).status == 401
        )
    for server in workers.servers:
        assert on(server, browser).login(admin.username, PASSWORD, expect_ok=False).status == 429


def test_wrong_enrolment_codes_are_counted_across_both_workers(workers: Workers) -> None:
    refused = []
    for _ in range(12):
        answer = requests.post(
            f"{workers.next().url}/v1/enrol",
            json={"code": "WRONG-00000", "device_id": str(uuid.uuid4())},
            timeout=20,
        )
        refused.append(answer.status_code)
    assert refused[:10] == [403] * 10  # ten wrong codes from this address, five on each worker …
    assert refused[10:] == [429, 429]  # … and both workers refuse the eleventh and twelfth


def test_guesses_sent_at_once_to_both_workers_get_no_more_tries_than_one_after_another(
    workers: Workers,
) -> None:
    school = workers.central.new_school("两个进程小学", demo=False)
    admin = add_user(workers.central, OfficeRole.SCHOOL_ADMIN, school_id=school.id)
    guessers = []
    for n in range(16):  # each with its own sign-in form, ready to send
        browser = OfficeClient(workers.servers[n % 2].url)
        form = browser.http.get(f"{browser.base}/office/login", timeout=20)
        guessers.append((browser, _LOGIN.search(form.text).group(1)))

    def guess(entry: tuple[OfficeClient, str]) -> int:
        browser, token = entry
        answer = browser.http.post(
            f"{browser.base}/office/login",
            data={"username": admin.username, "password": "a guess", "login_token": token, "next": ""},
            timeout=60,
        )
        return answer.status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(guess, guessers))
    assert set(answers) <= {401, 429}, answers  # never a 500 from two workers writing one count
    assert answers.count(401) <= 5, answers  # a password checked at most as often as one by one
