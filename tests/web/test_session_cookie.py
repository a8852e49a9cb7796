"""The session cookie's signer remembers the cookies it checked (`app.web.security`): a
remembered cookie reads as before, and one that is tampered with, signed with another
key or too old is refused as Starlette's own signer refuses it."""

from __future__ import annotations

import itsdangerous
import pytest
from itsdangerous.exc import BadSignature, SignatureExpired

from app.web.security import _RememberingSigner

DAY = 24 * 3600


class _Clock(_RememberingSigner):
    now = 1_000_000

    def get_timestamp(self) -> int:
        return self.now


def test_a_checked_cookie_reads_the_same_every_time() -> None:
    signer = _Clock("secret")
    cookie = signer.sign(b"payload")
    assert signer.unsign(cookie, max_age=DAY) == b"payload"
    assert signer.unsign(cookie, max_age=DAY) == b"payload"  # remembered
    assert signer.unsign(cookie.decode(), max_age=DAY) == b"payload"  # as text too


def test_a_tampered_cookie_or_another_keys_is_refused_even_after_a_good_one() -> None:
    signer = _Clock("secret")
    cookie = signer.sign(b"payload")
    signer.unsign(cookie, max_age=DAY)
    with pytest.raises(BadSignature):
        signer.unsign(cookie.replace(b"payload", b"paylaod"), max_age=DAY)
    with pytest.raises(BadSignature):
        signer.unsign(itsdangerous.TimestampSigner("other").sign(b"payload"), max_age=DAY)


def test_a_remembered_cookie_still_expires() -> None:
    signer = _Clock("secret")
    cookie = signer.sign(b"payload")
    assert signer.unsign(cookie, max_age=DAY) == b"payload"
    signer.now += DAY + 1
    with pytest.raises(SignatureExpired):
        signer.unsign(cookie, max_age=DAY)
    signer.now -= 2 * DAY  # signed in its future: refused as itsdangerous does
    with pytest.raises(SignatureExpired):
        signer.unsign(cookie, max_age=DAY)


def test_it_reads_what_starlettes_signer_wrote() -> None:
    cookie = itsdangerous.TimestampSigner("secret").sign(b"payload")
    assert _Clock("secret").unsign(cookie, max_age=None) == b"payload"
