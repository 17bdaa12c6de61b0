from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessment"
    verbose_name = "Compliance self-assessment"

    def ready(self) -> None:
        # Registers the questionnaire validation as a system check (`manage.py check`).
        from assessment import checks  # noqa: F401

        # Renders a record's PDF in the background after each event appended to its trail.
        from assessment.background import hooks  # noqa: F401
