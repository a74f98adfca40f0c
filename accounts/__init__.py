"""People who use the service, their roles and where those roles apply."""
