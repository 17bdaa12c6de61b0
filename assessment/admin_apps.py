"""The admin's app config, in its own module: an app config's module is imported before the models
are loaded, so it cannot hold the site class (admin_site.py)."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, its default site requiring both factors of sign-in."""

    default_site = "assessment.admin_site.VerifiedAdminSite"
