"""The loop of a long-running process (the delivery worker, the scheduler) that
survives the database going away and stops cleanly.

- A lost connection (a restart, a failover to a new address behind the same name, a
  database refusing connections while it starts) is closed; the loop waits, doubling
  the wait up to a cap, and carries on when the database is back. A new connection
  resolves the host name again, so a failover is followed.
- SIGTERM or SIGINT: the round in hand finishes (a worker finishes the message it
  holds), then the process exits 0. A second signal stops at once.
- After each good round the process beats (models.beat), so the watchdog sees it.
"""

import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType

from django.db import InterfaceError, InternalError, OperationalError, connections

from peersupport.operations.models import ProcessKind, beat

log = logging.getLogger("peersupport.operations")

# What a lost or refusing database raises (a standby after failover raises InternalError
# on a write: "read-only transaction").
DATABASE_GONE = (OperationalError, InterfaceError, InternalError)


class Loop:
    def __init__(self, kind: ProcessKind, interval: float, backoff_cap: float = 30.0) -> None:
        self.kind = kind
        self.interval = interval
        self.backoff_cap = backoff_cap
        self.stopping = False
        self.last_beat = time.monotonic()

    def install_signals(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        if self.stopping:
            # At once: no cleanup that could wait on a server. A message in hand keeps
            # its claim until the lease ends, and is then sent by another worker.
            sys.stderr.write(f"{self.kind}: second signal, stopping at once\n")
            sys.stderr.flush()
            os._exit(128 + signum)
        log.info("%s: stopping after the work in hand", self.kind)
        self.stopping = True

    def sleep(self, seconds: float) -> None:
        """Sleep, waking early when asked to stop."""
        end = time.monotonic() + seconds
        while not self.stopping and (left := end - time.monotonic()) > 0:
            time.sleep(min(0.2, left))

    def pulse(self) -> None:
        """Beat in the middle of a long round, at most once an interval."""
        if time.monotonic() - self.last_beat >= self.interval:
            beat(self.kind, self.interval)
            self.last_beat = time.monotonic()

    def run(self, work: Callable[["Loop"], bool], *, swept: bool = False) -> None:
        """Call ``work`` until stopped; it returns True when there may be more to do at once."""
        failures = 0
        while not self.stopping:
            try:
                busy = work(self)
                beat(self.kind, self.interval, swept=swept)
                self.last_beat = time.monotonic()
            except DATABASE_GONE as error:
                failures += 1
                wait = min(2.0 ** (failures - 1), self.backoff_cap)
                # The class name only: a database error's text can quote data.
                log.warning(
                    "%s: database unavailable (%s), attempt %s; retrying in %.0f s",
                    self.kind,
                    type(error).__name__,
                    failures,
                    wait,
                )
                reconnect()
                self.sleep(wait)
                continue
            if failures:
                log.info("%s: database back after %s failed attempts", self.kind, failures)
                failures = 0
            if not busy:
                self.sleep(self.interval)


def reconnect() -> None:
    """Throw the broken connections away; the next query opens a new one."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(Exception):
            connection.close()
