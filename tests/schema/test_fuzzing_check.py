"""The fuzzing check itself: it fails on what it must find, so a green fuzzing run means something."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.schema.fuzzing import check_answer


@dataclass
class Answer:
    status_code: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})

    @property
    def text(self) -> str:
        return str(self.body)

    def json(self) -> dict[str, Any]:
        return self.body


@pytest.mark.parametrize(
    "answer",
    [
        Answer(500, {}),
        Answer(200, {"errors": [{"message": "Unexpected error.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}),
        Answer(200, {"errors": [{"message": "no code"}]}),
    ],
)
def test_fuzzing_check_flags_what_it_must_find(answer: Answer) -> None:
    """The check fails on a server error, a masked fault and an error without a code: a green run means something."""
    with pytest.raises(AssertionError):
        check_answer(answer)
