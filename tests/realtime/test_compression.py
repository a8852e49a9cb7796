"""permessage-deflate for the live pages: no context kept, each message compressed once."""

from __future__ import annotations

from websockets.extensions.permessage_deflate import (
    ClientPerMessageDeflateFactory,
    PerMessageDeflate,
)
from websockets.frames import PING, TEXT, Frame

from app.realtime.compression import (
    MIN_COMPRESSED_SIZE,
    SharedDeflate,
    SharedDeflateFactory,
    compressed,
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
    _, page_a = _negotiated(ClientPerMessageDeflateFactory(client_max_window_bits=True))
    _, page_b = _negotiated(ClientPerMessageDeflateFactory(client_max_window_bits=True))
    before = compressed.cache_info()
    frame_a = page_a.encode(Frame(TEXT, bytes(PANEL)))
    frame_b = page_b.encode(Frame(TEXT, bytes(PANEL)))
    after = compressed.cache_info()
    assert frame_a.rsv1 and len(frame_a.data) < len(PANEL) // 10
    assert frame_b.data is frame_a.data  # one compression, shared
    assert after.hits == before.hits + 1
    # A browser without context takeover reads each message on its own.
    browser = PerMessageDeflate(True, False, 15, 15)
    for frame in (frame_a, frame_b):
        assert browser.decode(frame).data == PANEL
    assert not hasattr(page_a, "encoder")


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
