"""The body of an ASGI request read whole, and handed on to the app as if it had not been read: what the web
guards (body limit, JSON depth, response cache) and the compiled reads' fast path need before the app runs."""

from __future__ import annotations

from starlette.types import Message, Receive


async def read_body(receive: Receive) -> bytes | None:
    """The whole request body (bounded by BodyLimit outside); None when the client went away before sending it."""
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def replay(body: bytes | None, receive: Receive) -> Receive:
    """A receive channel that hands the app the body already read, then the client's own messages."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            if body is None:
                return {"type": "http.disconnect"}
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
