"""JSON answers that cannot fail on what they carry."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse


class SafeJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped: a string stored with a character UTF-8
    cannot carry (a lone surrogate) is sent as its escape instead of failing the answer."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, allow_nan=False, separators=(",", ":")).encode("ascii")
