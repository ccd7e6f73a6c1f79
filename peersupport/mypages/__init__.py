"""The employee's own pages under /me/: their support, how to be called, their data."""
