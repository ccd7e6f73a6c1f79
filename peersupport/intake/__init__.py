"""Every channel a request comes in by: the pages under /requests/, the API
endpoint and `intake.submit`, where all of them end."""
