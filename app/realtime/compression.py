"""permessage-deflate for the live pages, at no memory cost per open page.

A page mostly listens: the server sends it panels, the same HTML to every page of one
view. With context takeover (uvicorn's default) each connection keeps a zlib compressor
and decompressor alive between messages: some 50 KiB per idle page even with 4 KiB
windows, more than the page costs otherwise. Here neither side keeps a context between
messages (`server_no_context_takeover`, `client_no_context_takeover`), so a connection
holds no zlib state while idle; each message is compressed on its own (by one compressor
per thread, reset after each message), and the same message sent to many pages is
compressed once (`compressed`, a small cache keyed by a digest of the bytes). A message
joins the cache only when it is sent a second time: a page's snapshot on connect is its
own (it carries the time left), and caching each one kept some 25 KiB per page opened.
The HTML the hub sends to every page of one view is one string (`share`): it is encoded
and compressed once, and found again by identity, without a digest of its bytes per
page. Messages too small to gain are sent as they are (permessage-deflate lets each
message choose).

The protocol itself (`LiveWebSocketProtocol`) keeps less per open page than uvicorn's:
its incoming messages and its "writable" flag are a list and a future, not an
asyncio.Queue and Event (four deques, some 3 KiB), and it forgets the handshake.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Literal

from uvicorn._types import ASGIReceiveEvent, ASGISendEvent
from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import InvalidState
from websockets.extensions.base import Extension
from websockets.extensions.permessage_deflate import (
    PerMessageDeflate,
    ServerPerMessageDeflateFactory,
)
from websockets.frames import CONT, CTRL_OPCODES, Frame
from websockets.protocol import Protocol, State
from websockets.typing import ExtensionParameter

# Below this many bytes a message is sent uncompressed: the deflate block's overhead and
# the CPU are not worth the few bytes saved (a ping's answer, a status line).
MIN_COMPRESSED_SIZE = 256
# Messages larger than this are compressed for each page, not cached (a rare big one).
MAX_CACHED_SIZE = 64 * 1024
# zlib's fastest level: on the live pages' frames (gulf-1990, 8 pages) it takes 25.5 us a
# frame against 43 at the default (6), for 10% more bytes (ratio 0.227 against 0.207). The
# server's CPU is the scarce resource; the bytes go over a local network.
COMPRESSION_LEVEL = 1
# Distinct recent messages kept compressed: a change sends a few panels per view.
CACHED_MESSAGES = 128
# Digests of messages sent once and not (yet) cached: 16 bytes each, not the message.
SEEN_MESSAGES = 1024
_SYNC_FLUSH_TAIL = b"\x00\x00\xff\xff"

_Digest = tuple[bytes, int]
_cache: OrderedDict[_Digest, bytes] = OrderedDict()
_seen: OrderedDict[_Digest, None] = OrderedDict()


def compressed(data: bytes, window_bits: int) -> bytes:
    """`data` as one compressed permessage-deflate message (RFC 7692, 7.2.1); the second
    time the same bytes come, and after, from the cache (a message for many pages)."""
    key = (hashlib.blake2b(data, digest_size=16).digest(), window_bits)
    output = _cache.get(key)
    if output is not None:
        _cache.move_to_end(key)
        return output
    output = _compress(data, window_bits)
    if key in _seen:  # sent once before: worth keeping
        del _seen[key]
        _cache[key] = output
        if len(_cache) > CACHED_MESSAGES:
            _cache.popitem(last=False)
    else:
        _seen[key] = None
        if len(_seen) > SEEN_MESSAGES:
            _seen.popitem(last=False)
    return output


SHARED_TEXTS = 32
"""Texts the hub sends as one object to many pages, kept encoded (and compressed). The
pages of one view send one right after another, so a few per view of a change do."""


class _Shared:
    __slots__ = ("data", "payloads", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode()
        self.payloads: dict[int, bytes] = {}  # compressed, by window bits


_shared: OrderedDict[int, _Shared] = OrderedDict()  # by id(text); entries hold the text
_shared_data: dict[int, _Shared] = {}  # the same entries, by id(data)


def share(text: str) -> None:
    """`text` (this very object) goes to several pages: encode it once, and compress it
    once per window size, found by identity rather than by a digest of its bytes (a
    digest per page cost more than the rest of a send). Entries hold their objects, so
    an `id` always names the object it was taken from."""
    key = id(text)
    entry = _shared.get(key)
    if entry is not None and entry.text is text:
        _shared.move_to_end(key)
        return
    if entry is not None:  # an id reused by a newer object: the old one is gone
        del _shared_data[id(entry.data)]
    entry = _Shared(text)
    _shared[key] = entry
    _shared.move_to_end(key)
    _shared_data[id(entry.data)] = entry
    if len(_shared) > SHARED_TEXTS:
        _, oldest = _shared.popitem(last=False)
        del _shared_data[id(oldest.data)]


def _utf8(text: str) -> bytes:
    """`text` encoded, once for all the pages when it is shared."""
    entry = _shared.get(id(text))
    if entry is not None and entry.text is text:
        return entry.data
    return text.encode()


def _shared_payload(data: bytes, window_bits: int) -> bytes | None:
    """`data` compressed, when it is a shared text's bytes (this very object)."""
    entry = _shared_data.get(id(data))
    if entry is None or entry.data is not data:
        return None
    payload = entry.payloads.get(window_bits)
    if payload is None:
        payload = entry.payloads[window_bits] = compressed(data, window_bits)
    return payload


def cached_messages() -> int:
    """How many compressed messages the cache holds."""
    return len(_cache)


_compressors = threading.local()


def _compress(data: bytes, window_bits: int) -> bytes:
    # One compressor per thread and window size, kept: making one per message (zlib's
    # some 260 KiB set up) cost more than compressing a panel (40 us against 8 for 1 KiB).
    # Z_FULL_FLUSH ends each message as Z_SYNC_FLUSH does and resets the compressor, so no
    # message refers to an earlier one: each is read on its own (no context takeover).
    kept: dict[int, Any] | None = getattr(_compressors, "by_bits", None)
    if kept is None:
        kept = _compressors.by_bits = {}
    encoder = kept.pop(window_bits, None) or zlib.compressobj(
        COMPRESSION_LEVEL, zlib.DEFLATED, -window_bits
    )
    output = encoder.compress(data) + encoder.flush(zlib.Z_FULL_FLUSH)
    kept[window_bits] = encoder  # only once the message is whole: an error drops it
    assert output.endswith(_SYNC_FLUSH_TAIL)
    return output[: -len(_SYNC_FLUSH_TAIL)]


class SharedDeflate(PerMessageDeflate):
    """permessage-deflate without context takeover whose whole messages come from the
    shared cache; fragmented messages (never sent here) take the usual path."""

    def encode(self, frame: Frame) -> Frame:
        if frame.opcode in CTRL_OPCODES:
            return frame
        if frame.opcode is CONT or not frame.fin:
            return super().encode(frame)
        if len(frame.data) < MIN_COMPRESSED_SIZE:
            return frame  # RSV1 clear: this message is not compressed
        bits = self.local_max_window_bits
        payload = _shared_payload(frame.data, bits) if isinstance(frame.data, bytes) else None
        if payload is None:
            data = bytes(frame.data)
            payload = (
                compressed(data, bits) if len(data) <= MAX_CACHED_SIZE else _compress(data, bits)
            )
        return Frame(frame.opcode, payload, True, True, frame.rsv2, frame.rsv3)


class SharedDeflateFactory(ServerPerMessageDeflateFactory):
    """Accepts permessage-deflate as offered, without context takeover either way."""

    def __init__(self) -> None:
        super().__init__(server_no_context_takeover=True, client_no_context_takeover=True)

    def process_request_params(
        self, params: Sequence[ExtensionParameter], accepted_extensions: Sequence[Extension]
    ) -> tuple[list[ExtensionParameter], PerMessageDeflate]:
        response, negotiated = super().process_request_params(params, accepted_extensions)
        return response, SharedDeflate(
            negotiated.remote_no_context_takeover,
            negotiated.local_no_context_takeover,
            negotiated.remote_max_window_bits,
            negotiated.local_max_window_bits,
        )


class _Inbox:
    """What uvicorn's protocol asks of its incoming messages' asyncio.Queue (`put_nowait`,
    `get`, `empty`) in a list and one future: the queue's three deques took some 2.3 KiB
    per open page, for a page that sends nothing. One reader at a time (the app's
    `receive`), on the event loop it was made on."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[ASGIReceiveEvent] = []
        self._waiter: asyncio.Future[None] | None = None

    def empty(self) -> bool:
        return not self._items

    def put_nowait(self, item: ASGIReceiveEvent) -> None:
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def get(self) -> ASGIReceiveEvent:
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.pop(0)


class _Writable:
    """uvicorn's `writable` asyncio.Event (`set`, `clear`, `is_set`, `wait`) with its
    waiters in a list made only while the transport's buffer is full: an Event's deque
    took some 760 bytes per open page, and a page's socket is nearly always writable."""

    __slots__ = ("_flag", "_waiters")

    def __init__(self) -> None:
        self._flag = False
        self._waiters: list[asyncio.Future[Literal[True]]] | None = None

    def is_set(self) -> bool:
        return self._flag

    def set(self) -> None:
        self._flag = True
        waiters, self._waiters = self._waiters, None
        for waiter in waiters or ():
            if not waiter.done():
                waiter.set_result(True)

    def clear(self) -> None:
        self._flag = False

    async def wait(self) -> Literal[True]:
        if self._flag:
            return True
        waiter: asyncio.Future[Literal[True]] = asyncio.get_running_loop().create_future()
        if self._waiters is None:
            self._waiters = []
        self._waiters.append(waiter)
        try:
            return await waiter
        finally:
            if self._waiters is not None and waiter in self._waiters:
                self._waiters.remove(waiter)


class LiveWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets protocol (its default) with `SharedDeflateFactory` in place of
    its context-keeping permessage-deflate (`ws_per_message_deflate` still switches it),
    lighter stand-ins for its queue and event, and that forgets the handshake's request
    once it is answered."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.config.ws_per_message_deflate:
            self.conn.available_extensions = [SharedDeflateFactory()]
        # Nothing has used them yet: uvicorn made them just now, with the protocol.
        self.queue = _Inbox()  # type: ignore[assignment]
        self.writable = _Writable()  # type: ignore[assignment]
        self.writable.set()

    async def send(self, message: ASGISendEvent) -> None:
        text = message.get("text") if message["type"] == "websocket.send" else None
        if isinstance(text, str) and message.get("bytes") is None:
            # uvicorn's own path for a text message, with the text encoded once for all
            # the pages it goes to (`share`); anything out of place is left to uvicorn.
            await self.writable.wait()
            if self.disconnected:
                raise ClientDisconnected()
            if self.handshake_complete and not self.close_sent and self.initial_response is None:
                try:
                    self.conn.send_text(_utf8(text))
                    self.transport.write(b"".join(self.conn.data_to_send()))
                except InvalidState:
                    raise ClientDisconnected() from None
                return
        await super().send(message)
        if message["type"] == "websocket.accept" and self.handshake_complete:
            self._forget_handshake()

    def _forget_handshake(self) -> None:
        """Let go of the handshake once it is answered: some 6 KiB per open page.

        websockets' parser reads the request, then the frames, in one generator whose
        frame holds the request (its headers parsed) for the connection's life. With the
        answer just sent and no byte of a frame come yet (a client sends none before the
        answer), the frames' parser alone takes over at the same point of the stream: its
        loop keeps nothing between frames. uvicorn keeps the request too (`request`, read
        nowhere after) and the answer, whose headers are sent: neither is kept."""
        conn = self.conn
        if conn.state is State.OPEN and not conn.reader.buffer and not conn.reader.eof:
            conn.parser = Protocol.parse(conn)
            next(conn.parser)
        self.response.headers.clear()
        vars(self).pop("request", None)
