from accounts.models import User
from accounts.permissions import rule


@rule("reports.research_export")
def research_export(user: User, obj: object | None = None) -> bool:
    """De-identified research data: program admins only (each export is audit-logged)."""
    return user.is_program_admin
