"""Logging for the server and the command line: text for a terminal, or JSON lines for a
log collector (`ENTENTE_LOG_FORMAT=json`). One configuration covers Entente's loggers and
uvicorn's, so access lines and errors come out in the same shape."""

from __future__ import annotations

import logging.config
from typing import Any

from app.config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Fields every JSON line carries; exc_info adds the traceback as "exc_info".
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"


def log_config(settings: Settings) -> dict[str, Any]:
    """A `logging.config.dictConfig` document, also handed to uvicorn as its log_config."""
    formatter: dict[str, Any]
    if settings.log_format == "json":
        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        }
    else:
        formatter = {"format": TEXT_FORMAT}
    level = settings.log_level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # uvicorn's loggers would otherwise bring their own handlers and formats.
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": level, "propagate": True},
            "alembic": {"level": "WARNING"},
        },
    }


def configure_logging(settings: Settings) -> None:
    logging.config.dictConfig(log_config(settings))
