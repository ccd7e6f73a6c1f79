"""gunicorn settings for the web processes: each worker process beats (operations.models)
from a thread of its own, so that the administrator and the monitoring see which web
processes are alive. Use: gunicorn -c python:peersupport.operations.gunicorn peersupport.wsgi
(other gunicorn options on the command line as usual)."""

import threading
import time
from typing import Any

WEB_BEAT_SECONDS = 30.0


def _beat_forever() -> None:
    from django.db import connection

    from peersupport.operations.loop import DATABASE_GONE
    from peersupport.operations.models import ProcessKind, beat

    while True:
        try:
            beat(ProcessKind.WEB, WEB_BEAT_SECONDS)
        except DATABASE_GONE:
            pass  # the next beat tries again on a new connection
        finally:
            connection.close()  # this thread's own; not held between beats
        time.sleep(WEB_BEAT_SECONDS)


def post_worker_init(worker: Any) -> None:
    threading.Thread(target=_beat_forever, name="heartbeat", daemon=True).start()
