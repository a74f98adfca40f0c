"""Reference rows the assessments hang on: regions, forces and review rounds."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q


class RegionManager(models.Manager["Region"]):
    """Find a region by slug."""

    def get_by_natural_key(self, slug: str) -> Region:
        """Return the region with this slug."""
        return self.get(slug=slug)


class ForceManager(models.Manager["Force"]):
    """Find a force by its short code."""

    def get_by_natural_key(self, code: str) -> Force:
        """Return the force with this code."""
        return self.get(code=code)


class Region(models.Model):
    """A regional organised crime unit footprint, where a regional coordinator works."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)

    objects = RegionManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        """Regions are referred to by slug."""
        return (self.slug,)


class Force(models.Model):
    """A police force in England and Wales (43 territorial forces and British Transport Police)."""

    code = models.SlugField(
        max_length=30, unique=True, help_text="Short code used in addresses and file names."
    )
    name = models.CharField(max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="forces")
    established_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the force was formed: evidence dated earlier than this is refused.",
    )

    objects = ForceManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        """Forces are referred to by code."""
        return (self.code,)


class Round(models.Model):
    """A review period: every force assesses itself against one plan between the opening and due dates."""

    name = models.CharField(max_length=100, unique=True, help_text="For example “2026-27 autumn review”.")
    plan = models.ForeignKey("actionplan.ActionPlan", on_delete=models.PROTECT, related_name="rounds")
    opens_on = models.DateField()
    due_on = models.DateField()
    is_open = models.BooleanField(default=True)
    # The evidence-of-change rule (assessments.rules): a status rise needs a reference dated from this
    # day (the opening when empty, or the force's last sign-off if later) to today.
    evidence_window_starts_on = models.DateField(
        null=True,
        blank=True,
        help_text="Evidence for a higher status must be dated on or after this. Empty: the opening date.",
    )
    # Set only by workflow.evidence_rule_set, which records who changed it in a RoundEvent.
    evidence_rule_warn_only = models.BooleanField(
        default=False,
        help_text="A status rise without new evidence is shown as a warning rather than refused.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=F("opens_on")), name="round_due_after_opening")
        ]

    def __str__(self) -> str:
        return self.name
