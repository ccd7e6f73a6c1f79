"""The coordinator's workspace: dashboard, pool, matching and assignment, events,
the on-call rota. Its addresses are in the cases namespace (`peersupport/case_urls.py`)."""
