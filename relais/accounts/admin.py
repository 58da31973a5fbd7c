"""Administration of agencies and staff accounts (no case data is ever registered here)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency, JurisdictionMunicipality, Unit, User, UserRole


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


class JurisdictionInline(admin.TabularInline):
    model = JurisdictionMunicipality
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "arrondissement", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("name", "code")
    inlines = [UnitInline, JurisdictionInline]


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "agency", "is_active")
    list_filter = ("agency__kind", "is_active")
    list_select_related = ("agency",)
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Agency"), {"fields": ("agency", "unit")}))
    inlines = [UserRoleInline]
