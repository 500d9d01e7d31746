from django.apps import AppConfig


class PgShopConfig(AppConfig):
    name = "pgshop"
    default_auto_field = "django.db.models.BigAutoField"
