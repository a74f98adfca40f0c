"""The action plan's activities as a django-import-export resource, for import and export in the admin.

Rows are matched by activity code within the current plan; the process area is given by its number
(1 to 5) in the current plan. Every instance is cleaned with full_clean (so the code pattern and the
one-code-per-plan constraint are checked row by row), the whole import runs in one transaction, and
every exported string is escaped against formula injection.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from import_export import fields, resources, widgets

from actionplan.models import ActionPlan, Activity, ProcessArea
from spreadsheet_safety import MAX_ROWS, escape_cell, without_invisible_formatting


class AreaNumberWidget(widgets.ForeignKeyWidget):  # type: ignore[misc]
    """A process area written as its number, looked up in the current plan."""

    def __init__(self) -> None:
        super().__init__(ProcessArea, field="number")

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> QuerySet[ProcessArea]:
        return ProcessArea.objects.filter(plan__is_current=True)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> ProcessArea | None:
        text = str(value).strip() if value is not None else ""
        if text.endswith(".0"):  # spreadsheets hand whole numbers over as floats
            text = text[:-2]
        if not text.isdigit():
            raise ValueError("Enter the process area as a number from 1 to 5")
        area = self.get_queryset(value, row).filter(number=int(text)).first()
        if area is None:
            raise ValueError(f"Process area {text} is not in the current action plan")
        return area

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return value.number if value is not None else ""


class OrderWidget(widgets.IntegerWidget):  # type: ignore[misc]
    """A position within the area: a whole number of 1 or more, with a plain message otherwise."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        try:
            number = super().clean(value, row, **kwargs)
        except (ArithmeticError, ValueError, TypeError):
            raise ValueError("Enter the order as a whole number of 1 or more") from None
        if number is not None and (number < 1 or number != int(number)):
            raise ValueError("Enter the order as a whole number of 1 or more")
        return None if number is None else int(number)


class ActivityResource(resources.ModelResource):  # type: ignore[misc]
    """Activities keyed by code; a dry run shows what is new, changed (field by field) or unchanged."""

    area = fields.Field(attribute="area", column_name="area", widget=AreaNumberWidget())
    order = fields.Field(attribute="order", column_name="order", widget=OrderWidget())

    class Meta:
        model = Activity
        import_id_fields = ("code",)
        fields = ("code", "area", "order", "title", "description", "good_looks_like", "evidence_examples")
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self) -> QuerySet[Activity]:
        """Only the current plan's activities are matched, exported or changed."""
        return (
            Activity.objects.filter(plan__is_current=True)
            .select_related("area")
            .order_by("area__number", "order")
        )

    def import_data(self, dataset: Any, **kwargs: Any) -> Any:
        """All rows or none: any error, including a row that fails validation, rolls the whole file back."""
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        """Refuse an over-long file before looking at any row."""
        if len(dataset) > MAX_ROWS:
            del dataset[:]  # the library reads every row even after this error; leave it none to read
            raise ValueError(f"The file has more than {MAX_ROWS:,} rows")
        super().before_import(dataset, **kwargs)

    def init_instance(self, row: Any = None) -> Activity:
        """A new activity belongs to the current plan."""
        plan = ActionPlan.objects.filter(is_current=True).first()
        if plan is None:
            raise ValidationError("There is no current action plan to add activities to")
        return Activity(plan=plan)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        """Drop bidi controls and other invisible format characters from every text cell (the one rule in
        spreadsheet_safety.text), so plan text reads in the order it is stored."""
        for key, value in list(row.items()):
            if isinstance(value, str):
                row[key] = without_invisible_formatting(value)
        super().before_import_row(row, **kwargs)

    def import_instance(self, instance: Activity, row: Any, **kwargs: Any) -> None:
        """Load the row, then check the code starts with its area's prefix, as the plan loader does."""
        errors: dict[str, list[Any]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.code:
            instance.code = str(instance.code).strip().upper()
        if "area" not in errors and instance.area_id is not None and instance.code:
            prefix = instance.area.prefix
            if not instance.code.startswith(prefix):
                errors.setdefault("code", []).append(
                    ValidationError(
                        f"Activity codes in process area {instance.area.number} start with {prefix}"
                    )
                )
        if errors:
            raise ValidationError(errors)

    def export_field(self, field: Any, instance: Any, **kwargs: Any) -> Any:
        """Every exported cell is escaped against formula injection."""
        return escape_cell(super().export_field(field, instance, **kwargs))
