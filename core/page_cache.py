"""The main content of the busiest pages, kept between requests until the data under it changes.

A signed-in list page (browse, My sessions, My week, Find a mentor, a round's preview) costs tens of
milliseconds of queries and template work, and the same person reloads the same page far more often
than anything on it changes. So the page's content block is kept in the cache under a key of who
asks, what they asked (the path and query), their time zone and language, and the **data version**:
a counter that every write to the project's tables moves on.

The version is moved by the database layer, not by each service remembering to do it:
`watch_writes` puts an execute wrapper on every database connection, and an INSERT, UPDATE, DELETE or
TRUNCATE on a watched table (any model of the project's apps but the outbox, the audit log and the
report's own tables; `watched_tables`) moves it once its transaction commits (`on_commit`), so that
anyone who reads the new version reads the new data too. Until then the writer's own connection
sees data nobody else does: while its transaction holds uncommitted writes it neither reads nor keeps
page content. A write outside a transaction (autocommit) is committed when it returns; the version
moves at the connection's next statement, before a page is read, or at the end of the request or
task, whichever comes first. A write that bypasses Django (psql) is not seen: it shows within
PAGE_CACHE_SECONDS.

Time moves pages too (a session that starts leaves "upcoming"): each page says until when its content
holds (`valid_until`), and the entry is kept at most until then and at most PAGE_CACHE_SECONDS.

What differs per request inside the content, the CSRF token, is rendered as a slot and filled in for
each request; the rest of the page (menu, messages) is rendered as usual around the kept content.
"""

import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

VERSION_KEY = "page-data-version"
# Apps whose tables no kept page shows and which are written on hot paths of their own: the outbox
# and its mail log (every reminder), the audit log (every admin read), the report's tally and caches.
UNWATCHED_APPS = frozenset({"notifications", "audit", "reports"})
PROJECT_APPS = frozenset({
    "accounts", "api", "checkin", "core", "feedback", "mentorship", "program", "roster", "sessions",
    "subjects", "teaching",
})  # fmt: skip
# Where the CSRF token goes in kept content: random per process, so no text a user writes can hold it.
CSRF_SLOT = f"csrf{secrets.token_hex(16)}"

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([\w.]+)"?', re.IGNORECASE
)

_watched: frozenset[str] | None = None


def watched_tables() -> frozenset[str]:
    """The tables whose writes move the data version: every model table (with many-to-many tables) of
    the project's apps but UNWATCHED_APPS."""
    global _watched
    if _watched is None:
        _watched = frozenset(
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_config.name in PROJECT_APPS - UNWATCHED_APPS  # the module: sessions' label differs
        )
    return _watched


def _moves_data(sql: str) -> bool:
    """Whether a statement writes to a watched table (INSERT, UPDATE, DELETE, TRUNCATE). A statement
    that starts otherwise (a read, DDL) does not: no service writes through a CTE."""
    found = _WRITE.match(sql)
    if found is None:
        return False
    if found.group(0).lstrip()[:8].upper() == "TRUNCATE":
        return True  # TRUNCATE names several tables (a test database's flush): any may be watched
    return found.group(1).rsplit(".", 1)[-1] in watched_tables()


def data_version() -> int:
    """The current data version (1 where none was kept yet, as after a cache restart)."""
    return int(cache.get_or_set(VERSION_KEY, 1, None) or 1)


def bump_data_version() -> None:
    """Move the data version on: every kept page content becomes stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not kept yet (a new or restarted cache): any value but the old one will do
        cache.set(VERSION_KEY, secrets.randbelow(1 << 30) + 2, None)
    except Exception:  # a cache that does not answer: logged; what it kept expires in PAGE_CACHE_SECONDS
        logger.exception("could not move the page data version on")


def _bump_after_commit() -> None:
    bump_data_version()


def _uncommitted_writes(connection: BaseDatabaseWrapper) -> bool:
    """Whether this connection's open transaction wrote to a watched table: what it reads then is not
    what everyone else reads, so it neither uses nor keeps page content."""
    return connection.in_atomic_block and any(entry[1] is _bump_after_commit for entry in connection.run_on_commit)


def settle_due_bumps() -> None:
    """Move the version for writes made outside a transaction (autocommit) that have not moved it
    yet. They are due at the next statement on their connection, before a page is read from the
    cache, and at the end of each request and task (core.apps connects those signals)."""
    for connection in connections.all(initialized_only=True):
        if getattr(connection, "page_bump_due", False):
            connection.page_bump_due = False  # type: ignore[attr-defined]  # this module's own flag
            bump_data_version()


def _watch_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Mapping[str, Any]
) -> Any:
    connection: BaseDatabaseWrapper = context["connection"]
    # Never any cache work between a statement and the reading of its results (an INSERT's
    # RETURNING): the database cache would run its own statements on this connection in between.
    if getattr(connection, "page_bump_due", False):
        connection.page_bump_due = False  # type: ignore[attr-defined]
        bump_data_version()
    result = execute(sql, params, many, context)
    if settings.PAGE_CACHE_SECONDS > 0 and not _migrating and _moves_data(sql):
        if not connection.in_atomic_block:
            connection.page_bump_due = True  # type: ignore[attr-defined]  # committed already: settle soon
        elif not _uncommitted_writes(connection):
            connection.on_commit(_bump_after_commit)
    return result


_migrating = False


def migrating(sender: object, **kwargs: object) -> None:
    """pre_migrate receiver: while migrations run, the cache table may not exist yet (and a failed
    query would break the migration's transaction on PostgreSQL), so writes do not move the version."""
    global _migrating
    _migrating = True


def migrated(sender: object, **kwargs: object) -> None:
    """post_migrate receiver: writes move the version again, and once now for what migrations changed."""
    global _migrating
    _migrating = False
    if settings.PAGE_CACHE_SECONDS > 0:
        bump_data_version()


def watch_writes(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """connection_created receiver: put the write watcher on a new connection (once)."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def watch_open_connections() -> None:
    """Put the watcher on the connections already open when the app starts."""
    for connection in connections.all(initialized_only=True):
        watch_writes(None, connection)


def _key(request: HttpRequest, name: str, version: int, *, per_path: bool = True) -> str:
    asked = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32] if per_path else "-"
    user = getattr(request, "user", None)
    return (
        f"page:{name}:{version}:{getattr(user, 'pk', None)}:{asked}:"
        f"{timezone.get_current_timezone_name()}:{translation.get_language()}"
    )


def _may_keep(seconds: int) -> bool:
    """Whether pages may be kept and read back now (settling the versions due first)."""
    if seconds <= 0 or _uncommitted_writes(connections[DEFAULT_DB_ALIAS]):
        return False
    settle_due_bumps()
    return True


def kept_per_user(request: HttpRequest, name: str, render: Callable[[], str]) -> str:
    """A fragment that depends only on who asks (the signed-in menu): `render()`, kept per person
    while the data version holds, for PAGE_CACHE_SECONDS at most. It may not hold a CSRF token."""
    seconds = settings.PAGE_CACHE_SECONDS
    if not _may_keep(seconds):
        return render()
    key = _key(request, name, data_version(), per_path=False)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, seconds)
    return str(html)


def _render(request: HttpRequest, template: str, context: Mapping[str, Any]) -> str:
    full = {"request": request, "user": request.user, "csrf_token": CSRF_SLOT, **context}
    # A plain Context, not a RequestContext: the request's context processors would put the real CSRF
    # token over the slot. Tags that read the request from the context ({% querystring %}) find it.
    plain = Context(full)
    plain.request = request  # type: ignore[attr-defined]  # what RequestContext has, read by such tags
    return str(get_template(template).template.render(plain))  # type: ignore[attr-defined]  # the Django backend's Template


def rendered_content(request: HttpRequest, template: str, context: Mapping[str, Any]) -> SafeString:
    """The content block `template` for this request, not kept: for a page answering with an error."""
    return _with_token(request, _render(request, template, context))


def _with_token(request: HttpRequest, html: str) -> SafeString:
    return mark_safe(html.replace(CSRF_SLOT, get_token(request)))  # noqa: S308  # rendered (escaped) by the template  # nosec B308 B703


def kept_content(
    request: HttpRequest,
    name: str,
    template: str,
    build: Callable[[], tuple[dict[str, Any], datetime | None]],
) -> SafeString:
    """The content block of page `name` for this request: `template` rendered with the context that
    `build` returns (with `request` and `user`), kept while the data version
    holds and until the `valid_until` that `build` returns with it (None: PAGE_CACHE_SECONDS)."""
    seconds = settings.PAGE_CACHE_SECONDS
    if not _may_keep(seconds):
        context, _ = build()
        html = _render(request, template, context)
    else:
        key = _key(request, name, data_version())
        found = cache.get(key)
        now = timezone.now()
        if found is not None and (found[1] is None or now < found[1]):
            html = found[0]
        else:
            context, valid_until = build()
            html = _render(request, template, context)
            left = seconds if valid_until is None else min(seconds, int((valid_until - now).total_seconds()))
            if left > 0:
                cache.set(key, (html, valid_until), left)
    return _with_token(request, html)
