"""Running the service: health check, request ids, structured logs and task housekeeping."""
