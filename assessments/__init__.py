"""Forces' self-assessments against the action plan, their review and sign-off, and reports."""
