"""permessage-deflate for the live pages: no context kept, each message compressed once."""

from __future__ import annotations

import asyncio
import zlib

from websockets.extensions.permessage_deflate import (
    ClientPerMessageDeflateFactory,
    PerMessageDeflate,
)
from websockets.frames import PING, TEXT, Frame

from app.realtime.compression import (
    MIN_COMPRESSED_SIZE,
    SharedDeflate,
    SharedDeflateFactory,
    _Inbox,
    _Writable,
    cached_messages,
)

PANEL = ('<section id="nations" class="panel">' + "<tr><td>Arvenia</td></tr>" * 400).encode()


def _negotiated(offer: ClientPerMessageDeflateFactory) -> tuple[list[str], SharedDeflate]:
    params, extension = SharedDeflateFactory().process_request_params(
        offer.get_request_params(), []
    )
    assert isinstance(extension, SharedDeflate)
    return [name for name, _ in params], extension


def test_a_browser_offer_is_accepted_without_context_takeover_either_way() -> None:
    names, extension = _negotiated(ClientPerMessageDeflateFactory(client_max_window_bits=True))
    assert "server_no_context_takeover" in names and "client_no_context_takeover" in names
    # Nothing is kept between messages, so an idle page holds no zlib state.
    assert extension.local_no_context_takeover and extension.remote_no_context_takeover
    assert not hasattr(extension, "encoder") and not hasattr(extension, "decoder")


def test_a_message_arrives_whole_and_smaller_and_is_compressed_once_for_every_page() -> None:
    pages = [
        _negotiated(ClientPerMessageDeflateFactory(client_max_window_bits=True))[1]
        for _ in range(3)
    ]
    frames = [page.encode(Frame(TEXT, bytes(PANEL))) for page in pages]
    assert frames[0].rsv1 and len(frames[0].data) < len(PANEL) // 10
    # Sent a second time, the message is kept: the third page and on share it.
    assert frames[2].data is frames[1].data
    # A browser without context takeover reads each message on its own.
    browser = PerMessageDeflate(True, False, 15, 15)
    for frame in frames:
        assert browser.decode(frame).data == PANEL
    assert not hasattr(pages[0], "encoder")


def test_a_message_sent_once_is_not_kept() -> None:
    # A page's snapshot on connect is its own: keeping each one cost every page its size.
    _, page = _negotiated(ClientPerMessageDeflateFactory(client_max_window_bits=True))
    before = cached_messages()
    snapshots = [PANEL + f"<p>{i} seconds left</p>".encode() for i in range(20)]
    frames = [page.encode(Frame(TEXT, snapshot)) for snapshot in snapshots]
    assert cached_messages() == before
    browser = PerMessageDeflate(True, False, 15, 15)
    assert [browser.decode(frame).data for frame in frames] == snapshots


def test_small_messages_and_control_frames_go_as_they_are() -> None:
    _, page = _negotiated(ClientPerMessageDeflateFactory(client_max_window_bits=True))
    small = Frame(TEXT, b"x" * (MIN_COMPRESSED_SIZE - 1))
    assert page.encode(small) is small and not small.rsv1
    ping = Frame(PING, b"")
    assert page.encode(ping) is ping


def test_a_client_asking_for_a_smaller_window_gets_messages_compressed_with_it() -> None:
    _, page = _negotiated(ClientPerMessageDeflateFactory(server_max_window_bits=10))
    assert page.local_max_window_bits == 10
    frame = page.encode(Frame(TEXT, bytes(PANEL)))
    assert PerMessageDeflate(True, False, 10, 15).decode(frame).data == PANEL


def test_the_kept_compressor_makes_each_message_readable_on_its_own() -> None:
    # One compressor serves every message (none made per message), reset after each: a
    # message that referred to an earlier one, which a page without context takeover
    # never kept, would not decode with a fresh reader.
    _, page = _negotiated(ClientPerMessageDeflateFactory(client_max_window_bits=True))
    rows = "".join(f"<tr><td>Unit {i}</td><td>{i * 7 % 13}</td></tr>" for i in range(300))
    messages = [
        f'<section id="operations" data-n="{n}">{rows}</section>'.encode() for n in range(6)
    ]
    frames = [page.encode(Frame(TEXT, message)) for message in messages]
    for message, frame in zip(messages, frames, strict=True):
        assert frame.rsv1 and len(frame.data) < len(message) // 5
        assert PerMessageDeflate(True, False, 15, 15).decode(frame).data == message
        reader = zlib.decompressobj(-15)
        assert reader.decompress(frame.data + b"\x00\x00\xff\xff") == message


def test_the_protocols_inbox_hands_over_messages_in_order_and_wakes_its_reader() -> None:
    async def scenario() -> None:
        inbox = _Inbox()
        assert inbox.empty()
        reader = asyncio.ensure_future(inbox.get())
        await asyncio.sleep(0)
        assert not reader.done()  # nothing yet: it waits
        inbox.put_nowait({"type": "websocket.connect"})
        inbox.put_nowait({"type": "websocket.disconnect", "code": 1000})
        assert await asyncio.wait_for(reader, 1) == {"type": "websocket.connect"}
        assert not inbox.empty()
        assert await inbox.get() == {"type": "websocket.disconnect", "code": 1000}
        assert inbox.empty()
        # A cancelled reader loses nothing put after it went.
        reader = asyncio.ensure_future(inbox.get())
        await asyncio.sleep(0)
        reader.cancel()
        inbox.put_nowait({"type": "websocket.connect"})
        assert await inbox.get() == {"type": "websocket.connect"}

    asyncio.run(scenario())


def test_the_protocols_writable_flag_holds_senders_until_it_is_set() -> None:
    async def scenario() -> None:
        writable = _Writable()
        writable.set()
        assert writable.is_set() and await writable.wait()
        writable.clear()  # the transport's buffer is full
        senders = [asyncio.ensure_future(writable.wait()) for _ in range(2)]
        gone = asyncio.ensure_future(writable.wait())
        await asyncio.sleep(0)
        assert not any(s.done() for s in [*senders, gone])
        gone.cancel()
        await asyncio.sleep(0)
        writable.set()
        assert await asyncio.wait_for(asyncio.gather(*senders), 1) == [True, True]
        assert gone.cancelled()

    asyncio.run(scenario())


def test_a_shared_text_is_encoded_and_compressed_once_and_arrives_whole() -> None:
    from app.realtime.compression import _shared_payload, _utf8, share

    text = PANEL.decode() + "<p>shared</p>"
    share(text)
    data = _utf8(text)
    assert data == text.encode() and _utf8(text) is data  # one encoding for every page
    # An equal text that is another object is encoded on its own, and still right.
    other = "".join([PANEL.decode(), "<p>shared</p>"])
    assert other is not text and _utf8(other) is not data and _utf8(other) == data
    assert _shared_payload(other.encode(), 15) is None
    browser = ClientPerMessageDeflateFactory(client_max_window_bits=True)
    small_window = ClientPerMessageDeflateFactory(server_max_window_bits=10)
    for offer in (browser, small_window):
        _, page = _negotiated(offer)
        frame = page.encode(Frame(TEXT, data))
        assert frame.rsv1 and len(frame.data) < len(data)
        assert page.encode(Frame(TEXT, data)).data is frame.data  # compressed once
        client = offer.process_response_params(
            [(name, None) for name in ("server_no_context_takeover",)]
            + ([("server_max_window_bits", "10")] if offer is small_window else []),
            [],
        )
        assert client.decode(frame).data == data
