"""Regions and forces, and (as the service grows) rounds, assessments and returns."""

from __future__ import annotations

from django.db import models


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

    objects = ForceManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        """Forces are referred to by code."""
        return (self.code,)
