"""Enqueue a Celery task only once the data it reads is committed, with its arguments type-checked."""

import functools
from typing import Any, ParamSpec

from celery.app.task import Task
from django.db import transaction

P = ParamSpec("P")


def delay_on_commit(task: Task[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
    """`task.delay(*args, **kwargs)` after the current transaction commits (at once outside one).

    What Celery's DjangoTask.delay_on_commit does, but checked against the task's signature
    (celery-types declares it only on DjangoTask, while shared_task is typed as a plain Task).
    """
    transaction.on_commit(functools.partial(task.delay, *args, **kwargs))
