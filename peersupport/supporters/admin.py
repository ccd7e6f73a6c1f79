from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from peersupport.supporters.models import (
    Absence,
    ApproachTag,
    Experience,
    SpokenLanguage,
    Supporter,
)
from peersupport.widgets import DateInput


class LabelledFileInput(forms.ClearableFileInput):
    use_fieldset = False


# The browser's own date box: the admin's "Today" shortcut reads "Today (25 November
# 2026)" to a screen reader and "Today" on screen (axe: label-content-name-mismatch).
DATES: dict[Any, dict[str, Any]] = {models.DateField: {"widget": DateInput}}


class ExperienceInline(admin.StackedInline):
    model = Experience
    extra = 1


class ApproachInline(admin.StackedInline):
    model = ApproachTag
    extra = 1


class LanguageInline(admin.StackedInline):
    model = SpokenLanguage
    extra = 1


class AbsenceInline(admin.StackedInline):
    model = Absence
    extra = 1
    formfield_overrides = DATES


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    # The confirmation page would list the supporter's cases; a supporter leaves by
    # being made inactive.
    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    list_display = ["employee", "capacity", "trained_on", "listed_in_directory", "is_active"]
    list_filter = ["is_active", "listed_in_directory"]
    # An id box with its lookup, and a plain multiple select: select2's combobox and
    # the two-pane filter fail axe (no accessible name; ARIA on a label's icon).
    raw_id_fields = ["employee"]
    # The photo's box with its own label: Django puts a file box in a fieldset whose
    # legend does not label the box itself (axe: "form elements must have labels").
    formfield_overrides = {models.ImageField: {"widget": LabelledFileInput}, **DATES}
    inlines = [ExperienceInline, ApproachInline, LanguageInline, AbsenceInline]
