"""Logging that keeps personal data out: the server's access log drops query strings.

A search such as ``/api/v1/children?q=Hoàng Thị Mai`` would otherwise write a child's
name into every access log line. Paths keep only case codes and ids.
"""

from __future__ import annotations

import copy
import logging
from typing import Any


class DropQueryString(logging.Filter):
    """For uvicorn's access logger: ``GET /api/v1/cases?q=…`` becomes ``GET /api/v1/cases?…``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3:
            args = list(record.args)
            path = args[2]
            if isinstance(path, str) and "?" in path:
                args[2] = path.split("?", 1)[0] + "?…"
                record.args = tuple(args)
        return True


def uvicorn_log_config() -> dict[str, Any]:
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["drop_query"] = {"()": DropQueryString}
    config["handlers"]["access"]["filters"] = ["drop_query"]
    return config
