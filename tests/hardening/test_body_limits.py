"""Bodies over 1 MiB (10 MiB for file uploads) get 413 from a real server, whether the client
declares the length or streams the body in chunks without one."""

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.hardening.conftest import LiveApp

MIB = 1024 * 1024
CHUNK = 64 * 1024
IMPORTS = ["/manage/stops/{stop}/registrations/import", "/manage/consuls/import"]


def chunks(total: int, piece: bytes = b"x") -> Iterator[bytes]:
    """``total`` bytes in 64 KiB pieces: httpx sends a generator chunked, with no content-length."""
    sent = 0
    while sent < total:
        size = min(CHUNK, total - sent)
        yield piece * size
        sent += size


def multipart(total: int, *, streamed: bool) -> tuple[dict[str, str], bytes | Iterator[bytes]]:
    boundary = "roadshowboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="companies.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
    filler = total - len(head) - len(tail)
    if streamed:

        def body() -> Iterator[bytes]:
            yield head
            yield from chunks(filler, b"a")
            yield tail

        return headers, body()
    return headers, head + b"a" * filler + tail


@pytest.fixture(scope="module")
def organiser(live_app: LiveApp) -> Iterator[httpx.Client]:
    """A client with an organiser's bearer token and a browser's CSRF cookie and token."""
    with httpx.Client(base_url=live_app.url, headers={"Accept-Language": "en"}, timeout=60) as client:
        page = client.get("/login")
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match, page.text[:300]
        client.headers["x-csrf-token"] = match.group(1)
        client.headers.update(live_app.organiser_headers())
        yield client


def send(
    client: httpx.Client, path: str, body: bytes | Iterator[bytes], headers: dict[str, str]
) -> httpx.Response:
    try:
        return client.post(path, content=body, headers=headers)
    except httpx.WriteError:
        pytest.fail(f"{path}: the server closed the connection instead of answering 413")


@pytest.mark.parametrize("streamed", [False, True], ids=["declared", "streamed"])
def test_json_body_over_one_mebibyte_is_refused(
    organiser: httpx.Client, live_app: LiveApp, streamed: bool
) -> None:
    body = chunks(MIB + 1) if streamed else b"x" * (MIB + 1)
    response = send(
        organiser, f"/api/stops/{live_app.stop_id}/registrations", body, {"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large"}


@pytest.mark.parametrize("streamed", [False, True], ids=["declared", "streamed"])
def test_form_body_over_one_mebibyte_is_refused(
    organiser: httpx.Client, live_app: LiveApp, streamed: bool
) -> None:
    headers = {"content-type": "application/x-www-form-urlencoded"}
    body = chunks(MIB + 1, b"a") if streamed else b"note=" + b"a" * MIB
    response = send(organiser, f"/stops/{live_app.stop_id}/register", body, headers)
    assert response.status_code == 413


@pytest.mark.parametrize("path", IMPORTS)
@pytest.mark.parametrize("streamed", [False, True], ids=["declared", "streamed"])
def test_upload_over_ten_mebibytes_is_refused(
    organiser: httpx.Client, live_app: LiveApp, path: str, streamed: bool
) -> None:
    headers, body = multipart(10 * MIB + 1, streamed=streamed)
    response = send(organiser, path.format(stop=live_app.stop_id), body, headers)
    assert response.status_code == 413


@pytest.mark.parametrize("path", IMPORTS)
@pytest.mark.parametrize("streamed", [False, True], ids=["declared", "streamed"])
def test_upload_of_two_mebibytes_is_read_and_its_overlong_cell_named(
    organiser: httpx.Client, live_app: LiveApp, path: str, streamed: bool
) -> None:
    headers, body = multipart(2 * MIB, streamed=streamed)
    response = send(organiser, path.format(stop=live_app.stop_id), body, headers)
    assert response.status_code == 422, response.text[:300]
    assert "longer than 128 KiB" in response.text


def test_json_body_just_under_the_limit_reaches_validation(
    organiser: httpx.Client, live_app: LiveApp
) -> None:
    body = b'{"note": "' + b"a" * (MIB - 100) + b'"}'
    response = send(
        organiser, f"/api/stops/{live_app.stop_id}/registrations", body, {"content-type": "application/json"}
    )
    assert response.status_code == 422
