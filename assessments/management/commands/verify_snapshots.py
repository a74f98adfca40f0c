"""Recompute the hash of every signed-off snapshot and report any that no longer match.

Also checks each snapshot's stored area tallies (what the benchmarks read) against its data and the
plan it was signed off against.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from assessments.models import AssessmentSnapshot
from assessments.snapshots import plan_areas, snapshot_area_tallies, snapshot_hash


class Command(BaseCommand):
    """manage.py verify_snapshots"""

    help = "Recompute each signed-off snapshot's SHA-256 from its stored data; exit non-zero on a mismatch."

    def handle(self, *args: Any, **options: Any) -> None:
        snapshots = AssessmentSnapshot.objects.select_related(
            "assessment__force", "assessment__round"
        ).order_by("assessment__round__opens_on", "assessment__force__name", "version", "pk")
        checked = 0
        mismatches = 0
        stale = 0
        areas_of_plan: dict[int, dict[str, int]] = {}
        for snapshot in snapshots.iterator(chunk_size=200):
            checked += 1
            recomputed = snapshot_hash(snapshot.data)
            plan_id = snapshot.assessment.round.plan_id
            if plan_id not in areas_of_plan:
                areas_of_plan[plan_id] = plan_areas(plan_id)
            if snapshot.area_tallies != snapshot_area_tallies(snapshot.data, areas_of_plan[plan_id]):
                stale += 1
                assessment = snapshot.assessment
                self.stderr.write(
                    f"TALLIES DIFFER: {assessment.force.name} ({assessment.force.code}), "
                    f"{assessment.round.name}, version {snapshot.version}: the stored area tallies are not "
                    "the data's; the benchmarks would read the wrong figures"
                )
            if recomputed != snapshot.sha256:
                mismatches += 1
                assessment = snapshot.assessment
                self.stderr.write(
                    f"MISMATCH: {assessment.force.name} ({assessment.force.code}), {assessment.round.name}, "
                    f"version {snapshot.version}: stored {snapshot.sha256}, recomputed {recomputed}"
                )
        if mismatches or stale:
            raise CommandError(
                f"{mismatches} of {checked} snapshots do not match their stored hash; "
                f"{stale} have area tallies that differ from their data."
            )
        self.stdout.write(self.style.SUCCESS(f"{checked} snapshots verified, all hashes and tallies match."))
