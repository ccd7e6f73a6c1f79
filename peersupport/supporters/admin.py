from django.contrib import admin
from django.http import HttpRequest

from peersupport.supporters.models import (
    Absence,
    ApproachTag,
    Experience,
    SpokenLanguage,
    Supporter,
)


class ExperienceInline(admin.TabularInline):
    model = Experience
    extra = 1


class ApproachInline(admin.TabularInline):
    model = ApproachTag
    extra = 1


class LanguageInline(admin.TabularInline):
    model = SpokenLanguage
    extra = 1


class AbsenceInline(admin.TabularInline):
    model = Absence
    extra = 1


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    # The confirmation page would list the supporter's cases; a supporter leaves by
    # being made inactive.
    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    list_display = ["employee", "capacity", "trained_on", "listed_in_directory", "is_active"]
    list_filter = ["is_active", "listed_in_directory"]
    autocomplete_fields = ["employee"]
    filter_horizontal = ["departments_known"]
    inlines = [ExperienceInline, ApproachInline, LanguageInline, AbsenceInline]
