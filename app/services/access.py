"""Read-only access to a game for observers: a link derived from the server's secret.

The token is an HMAC of the game id, so observer links need no storage, cannot be
guessed, and stop working if the secret key is rotated.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def observer_token(secret_key: str, game_id: str) -> str:
    digest = hmac.new(secret_key.encode(), f"observe:{game_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:18]).decode().rstrip("=")


def valid_observer_token(secret_key: str, game_id: str, token: str) -> bool:
    # Compared as bytes: compare_digest refuses str with non-ASCII characters, and a link
    # is typed by hand often enough to carry one.
    expected = observer_token(secret_key, game_id).encode()
    return hmac.compare_digest(expected, token.encode("utf-8", "replace"))
