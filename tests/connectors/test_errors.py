from __future__ import annotations

from connectors.errors import FatalSourceError


def test_source_error_message_never_carries_url_credentials() -> None:
    error = FatalSourceError("NLC", "http://harvester:s3cret@127.0.0.1:9000/oai?verb=Identify", "HTTP 401")
    assert "s3cret" not in str(error)
    assert "harvester" not in str(error)
    assert str(error) == "NLC: HTTP 401 (at http://127.0.0.1:9000/oai?verb=Identify)"


def test_source_error_message_keeps_a_plain_url() -> None:
    error = FatalSourceError("CRECC", "http://127.0.0.1:9001/relics?limit=100", "malformed JSON")
    assert str(error) == "CRECC: malformed JSON (at http://127.0.0.1:9001/relics?limit=100)"


def test_source_error_message_is_bounded_whatever_the_partner_wrote() -> None:
    error = FatalSourceError("NLC", "http://127.0.0.1:9000/oai?resumptionToken=" + "T" * 100_000, "x" * 100_000)
    assert len(str(error)) < 1600
    assert error.problem.endswith("…") and error.url.endswith("…")
