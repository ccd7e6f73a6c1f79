"""The logging configuration settings.py installs: console, and syslog when an address is set."""

from typing import Any


def _syslog_address(value: str) -> str | tuple[str, int]:
    host, _colon, port = value.rpartition(":")
    return value if value.startswith("/") else (host, int(port))


def logging_config(syslog_address: str, level: str) -> dict[str, Any]:
    """Django's LOGGING for a syslog address ("", /dev/log or host:514) and a root level."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {
            "console": {"class": "logging.StreamHandler"},
            **(
                {
                    "syslog": {
                        "class": "logging.handlers.SysLogHandler",
                        "address": _syslog_address(syslog_address),
                    }
                }
                if syslog_address
                else {}
            ),
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # django-axes logs the names and addresses it sees at INFO and WARNING: not in our logs.
            "axes": {"level": "ERROR"},
            # Always written, whatever LOG_LEVEL says.
            "peersupport.audit.anchor": {
                "handlers": ["console", *(["syslog"] if syslog_address else [])],
                "level": "INFO",
                "propagate": False,
            },
        },
    }
