"""The national policing action plan for modern slavery: read-only reference content."""
