"""Project wiring for the modern slavery action plan self-assessment service."""
