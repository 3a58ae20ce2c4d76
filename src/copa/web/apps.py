from django.apps import AppConfig


class CopaWebConfig(AppConfig):
    name = "copa.web"
    label = "copa_web"
    verbose_name = "copa"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from copa.web import perms  # noqa: F401  (registers the permissions)
