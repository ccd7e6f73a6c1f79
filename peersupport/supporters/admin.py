from django.contrib import admin

from peersupport.supporters.models import Supporter


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    list_display = ["employee", "capacity", "trained_on", "listed_in_directory", "is_active"]
    list_filter = ["is_active", "listed_in_directory"]
    autocomplete_fields = ["employee"]
