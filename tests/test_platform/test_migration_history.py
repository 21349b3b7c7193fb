"""The migrations were squashed on 2 December 2026: a database migrated by the old history is up to date."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db

# What `django_migrations` holds for the project's apps on a database at 76e6837 (the last commit
# before the squash), app label -> migration names.
OLD_HISTORY = {
    "accounts": ["0001_initial", "0002_invitations_preferences", "0003_single_line_text_validators",
                 "0004_sso_sign_in_refusals"],
    "api": ["0001_api_tokens_issue13", "0002_single_line_text_validators"],
    "audit": ["0001_initial", "0002_accessevent_api_token_issue13api"],
    "checkin": ["0001_check_ins"],
    "feedback": ["0001_session_survey_and_confidence"],
    "mentorship": ["0001_initial"],
    "notifications": ["0001_initial", "0002_reminders", "0003_delivery_may_have_been_sent",
                      "0004_outboundemail_send_before_delete_reminder"],
    "program": ["0001_calendar_exams_and_rules", "0002_rules_log_and_no_show_clearances",
                "0003_term_ical_uid_calendar_imports_and_announcements"],
    "reports": ["0001_initial", "0002_single_line_text_validators", "0003_exam_results_link_the_catalogue",
                "0004_exam_results_drop_name_and_date", "0005_session_tally"],
    "roster": ["0001_roster_initial", "0002_single_line_text_validators", "0003_api_source"],
    "review_sessions": ["0001_initial", "0002_single_line_text_validators", "0003_term_bounds_on_durations_seats_dates",
                        "0004_reminder_moves_from_notifications", "0005_waitlist_offers"],
    "subjects": ["0001_initial", "0002_single_line_text_validators"],
    "teaching": ["0001_teaching_record_certificates_and_readiness"],
}  # fmt: skip
# Written after the squash: a database at the old history still needs these (and only these).
AFTER_SQUASH = ["notifications.0002_outboundemail_claim", "reports.0002_occurrence_tally_accessor"]


def _record_only(history: dict[str, list[str]]) -> None:
    """Make `django_migrations` say exactly `history` for the project's apps (rolled back after the test)."""
    recorded = MigrationRecorder(connection).migration_qs
    recorded.filter(app__in=history).delete()
    recorded.bulk_create(recorded.model(app=app, name=name) for app, names in history.items() for name in names)


def _plan() -> list[str]:
    executor = MigrationExecutor(connection)
    return [f"{m.app_label}.{m.name}" for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]


def test_a_database_migrated_by_the_old_history_needs_only_the_migrations_written_since():
    _record_only(OLD_HISTORY)

    assert _plan() == AFTER_SQUASH


def test_a_database_that_missed_the_last_old_migration_of_an_app_is_told_to_migrate():
    _record_only(OLD_HISTORY | {"teaching": []})

    assert sorted(_plan()) == sorted(
        ["teaching.0001_squashed_teaching_record_certificates_and_readiness", *AFTER_SQUASH]
    )


def test_every_squashed_migration_replaces_its_apps_whole_old_history():
    replaced = {
        app: sorted(name for _, name in migration.replaces)
        for (app, _), migration in MigrationExecutor(connection).loader.disk_migrations.items()
        if migration.replaces
    }

    assert replaced == OLD_HISTORY
