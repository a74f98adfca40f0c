"""Recompute the hash of every signed-off snapshot and report any that no longer match."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from assessments.models import AssessmentSnapshot
from assessments.snapshots import snapshot_hash


class Command(BaseCommand):
    """manage.py verify_snapshots"""

    help = "Recompute each signed-off snapshot's SHA-256 from its stored data; exit non-zero on a mismatch."

    def handle(self, *args: Any, **options: Any) -> None:
        snapshots = AssessmentSnapshot.objects.select_related(
            "assessment__force", "assessment__round"
        ).order_by("assessment__round__opens_on", "assessment__force__name", "version", "pk")
        checked = 0
        mismatches = 0
        for snapshot in snapshots.iterator(chunk_size=200):
            checked += 1
            recomputed = snapshot_hash(snapshot.data)
            if recomputed != snapshot.sha256:
                mismatches += 1
                assessment = snapshot.assessment
                self.stderr.write(
                    f"MISMATCH: {assessment.force.name} ({assessment.force.code}), {assessment.round.name}, "
                    f"version {snapshot.version}: stored {snapshot.sha256}, recomputed {recomputed}"
                )
        if mismatches:
            raise CommandError(f"{mismatches} of {checked} snapshots do not match their stored hash.")
        self.stdout.write(self.style.SUCCESS(f"{checked} snapshots verified, all hashes match."))
