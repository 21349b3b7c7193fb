"""The arrows between the apps point one way (docs/architecture.md, "Layers").

Read from the real import graph (grimp, the engine of import-linter), so an import added
anywhere, at module level or inside a function, is checked.
"""

import grimp
import pytest

APPS = [
    "accounts", "api", "audit", "checkin", "config", "core", "feedback", "mentorship", "notifications", "program", "reports",
    "roster", "sessions", "subjects", "teaching",
]

# What one app may import of another: its models, its write and read API, the permission
# policy, and a few pure rule modules of accounts that every app shares.
PUBLIC = {"models", "services", "selectors", "errors", "permissions"}
PUBLIC_EXTRA = {
    "accounts.class_year", "accounts.availability", "accounts.preferences",  # pure rules of accounts
    "audit.admin", "audit.http",  # audited admin pages, no-store education-record pages
    "notifications.signals",  # how apps answer the outbox
    "reports.periods", "reports.forms", "reports.spreadsheet",  # terms, the report's filters, CSV reading
}


@pytest.fixture(scope="module")
def imports() -> list[tuple[str, str]]:
    graph = grimp.build_graph(*APPS)
    return sorted(
        (importer, imported)
        for importer in graph.modules
        if ".migrations" not in importer
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported.split(".")[0] in APPS and imported.split(".")[0] != importer.split(".")[0]
    )


def _public_part(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def test_notifications_imports_no_other_app_but_the_permission_policy(imports):
    allowed = {"accounts.permissions"}
    wrong = [(a, b) for a, b in imports if a.startswith("notifications") and b not in allowed and not b.startswith("core")]

    assert wrong == []


def test_core_imports_no_app_of_the_project(imports):
    assert [(a, b) for a, b in imports if a.startswith("core")] == []


def test_nobody_imports_the_project_wiring_in_config(imports):
    assert [(a, b) for a, b in imports if b.startswith("config")] == []


def test_apps_import_each_other_only_through_models_services_selectors_and_the_policy(imports):
    def allowed(importer: str, imported: str) -> bool:
        if importer.startswith("config"):  # the wiring: root URLs include every app's
            return True
        if imported.startswith("core") or imported in PUBLIC_EXTRA:
            return True
        if ".demo" in importer or ".management." in importer:
            return imported.endswith(".demo") or _public_part(imported) in PUBLIC
        return _public_part(imported) in PUBLIC

    assert [(a, b) for a, b in imports if not allowed(a, b)] == []
