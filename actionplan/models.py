"""The action plan: versions, the five process areas, and the activities forces assess themselves against."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from actionplan.managers import ActionPlanManager, ActivityManager, ProcessAreaManager

ACTIVITY_CODE_PATTERN = r"^[A-Z]{2}[0-9]{2}$"


class ActionPlan(models.Model):
    """One published version of the national action plan; exactly one is current."""

    slug = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    version_label = models.CharField(max_length=100, help_text="For example “January 2018 refresh”.")
    published_on = models.DateField()
    is_current = models.BooleanField(default=False)

    objects = ActionPlanManager()

    class Meta:
        ordering = ["-published_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="actionplan_one_current_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version_label})"

    def natural_key(self) -> tuple[str]:
        """Plans are referred to by slug in fixtures."""
        return (self.slug,)


class ProcessArea(models.Model):
    """One of the five process areas of a plan, numbered 1 to 5."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField()
    prefix = models.CharField(max_length=2, help_text="Two capital letters that start each activity code.")
    title = models.CharField(max_length=200)
    summary = models.TextField()

    objects = ProcessAreaManager()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="processarea_unique_number"),
            models.UniqueConstraint(fields=["plan", "prefix"], name="processarea_unique_prefix"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=5), name="processarea_number_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def natural_key(self) -> tuple[str, int]:
        """Areas are referred to by plan slug and number."""
        return (self.plan.slug, self.number)


class Activity(models.Model):
    """An assessable activity with a stable code such as LG01."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="activities")
    area = models.ForeignKey(ProcessArea, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(max_length=4)
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField()
    good_looks_like = models.TextField("what good looks like")
    evidence_examples = models.TextField("examples of evidence")

    objects = ActivityManager()

    class Meta:
        ordering = ["area__number", "order"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="activity_unique_code"),
            models.CheckConstraint(
                condition=Q(code__regex=ACTIVITY_CODE_PATTERN), name="activity_code_well_formed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def natural_key(self) -> tuple[str, str]:
        """Activities are referred to by plan slug and code."""
        return (self.plan.slug, self.code)

    def evidence_example_list(self) -> list[str]:
        """The evidence examples as separate items for display."""
        return [item.strip() for item in self.evidence_examples.split(";") if item.strip()]
