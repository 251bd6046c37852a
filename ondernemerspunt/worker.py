"""The task worker that keeps going: through a database outage, and past a worker that died.

django-tasks-db's own worker (``manage.py db_worker``) ends on any database error that is not a
locked table, so a restart of PostgreSQL stops the production worker for good; and a job whose
worker was killed (out of memory while rendering a PDF, a deploy) stays "running" for ever. This
worker claims and runs jobs the same way, but

- on a lost connection it closes the connections, waits (1, 2, 4 … at most 60 seconds) and
  carries on; only a signal stops it;
- every minute it looks for jobs running longer than ``TASK_STALE_AFTER`` minutes whose worker
  is gone, runs them again, and after ``TASK_MAX_ATTEMPTS`` attempts marks them failed and tells
  the task's owner (``on_given_up``), so that the page can say so;
- every hour it forgets finished jobs and one-time form tokens older than
  ``KEEP_FINISHED_DAYS`` days (``prune_finished``): both tables would otherwise only grow;
- once a day (and when it starts) it runs the jobs the apps above the foundation registered with
  ``register_daily`` (intake: listing the files past the desk's retention period).

Whether a worker is alive is told by PostgreSQL: each worker holds an advisory lock named after
its id on a connection of its own, and the lock goes when its process or connection does.
Our tasks are written to be safe to run twice, since a job may be run again after its worker
died halfway.
"""

import contextlib
import datetime
import logging
import time
import zlib
from collections.abc import Callable

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from ondernemerspunt.models import FormSubmission

logger = logging.getLogger(__name__)

# What a lost or refused database connection raises; anything else is a bug and may stop us.
DATABASE_ERRORS = (OperationalError, InterfaceError)
MAX_BACKOFF = 60  # seconds
STALE_CHECK_EVERY = 60  # seconds
PRUNE_EVERY = 3600  # seconds
DAILY_EVERY = 24 * 3600  # seconds
# The first key of the two-key advisory lock: "ondernemerspunt worker", so that our locks cannot
# collide with anyone else's in the same database.
LOCK_NAMESPACE = 0x4F505700

# task path → what to do when the worker gives up on a job of that task (``on_given_up``).
_GIVEN_UP: dict[str, Callable] = {}


class TaskGivenUp(Exception):
    """Recorded on a job whose worker died on every attempt."""


def on_given_up(task) -> Callable:
    """Register what to do when ``task``'s job was given up on; called with the job's arguments.

    The task's own code never ran to its end, so whatever it promised (a report "being
    prepared") must be put right from outside.
    """

    def register(handler: Callable) -> Callable:
        _GIVEN_UP[task.module_path] = handler
        return handler

    return register


def backoff_seconds(failures: int) -> float:
    """1, 2, 4 … seconds after the first, second, third failure in a row; at most a minute."""
    return min(MAX_BACKOFF, 2 ** max(failures - 1, 0))


def _lock_key(worker_id: str) -> int:
    # pg_advisory_lock(int, int): a 32-bit signed second key.
    return zlib.crc32(worker_id.encode()) - 2**31


def worker_is_alive(worker_id: str) -> bool:
    """Does a worker with this id hold its lock? Asked on our own (Django's) connection."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, _lock_key(worker_id)]
        )
        (got_it,) = cursor.fetchone()
        if got_it:  # nobody held it: give it back at once
            cursor.execute(
                "SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, _lock_key(worker_id)]
            )
    return not got_it


def requeue_stale_tasks(
    *, backend_name: str, own_worker_id: str | None = None, now: datetime.datetime | None = None
) -> None:
    """Run again, or give up on, the jobs whose worker died while running them.

    ``own_worker_id``, the worker doing this check, counts as gone for its own jobs: it is here
    checking, so it is not running them (one it was running when the database went away).
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.TASK_STALE_AFTER)
    given_up = []
    with transaction.atomic():
        stale = (
            DBTaskResult.objects.running()
            .filter(backend_name=backend_name, started_at__lt=cutoff)
            .select_for_update(skip_locked=True)
        )
        for job in stale:
            last = job.worker_ids[-1] if job.worker_ids else None
            if last and last != own_worker_id and worker_is_alive(last):
                continue  # slow, not dead
            attempts = len(job.worker_ids)  # each claim adds the worker's id
            if attempts < settings.TASK_MAX_ATTEMPTS:
                job.status = TaskResultStatus.READY
                job.started_at = None
                job.save(update_fields=["status", "started_at"])
                logger.warning(
                    "Task id=%s path=%s: its worker stopped during attempt %d; queued again",
                    job.id,
                    job.task_path,
                    attempts,
                )
            else:
                job.set_failed(TaskGivenUp(f"The worker stopped on each of {attempts} attempts."))
                logger.error(
                    "Task id=%s path=%s: its worker stopped on each of %d attempts; given up",
                    job.id,
                    job.task_path,
                    attempts,
                )
                given_up.append(job)
    for job in given_up:
        _tell_given_up(job)


def _tell_given_up(job: DBTaskResult) -> None:
    try:
        job.task  # imports the task's module, which registers its handler  # noqa: B018
    except Exception:
        logger.exception("Task id=%s path=%s cannot be imported", job.id, job.task_path)
        return
    handler = _GIVEN_UP.get(job.task_path)
    if handler is None:
        return
    try:
        handler(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
    except DATABASE_ERRORS:
        raise  # an outage: the worker waits it out
    except Exception as error:
        # Not the worker's end; the class only, as the message may quote the job's arguments.
        logger.error("Task id=%s: putting right a given-up job failed (%s)", job.id, type(error))


def prune_finished(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Delete finished jobs and used form tokens older than ``KEEP_FINISHED_DAYS``; how many.

    Nothing reads them after a while: a job's outcome is on its own object (a report says it
    failed), and a form resent after that long is a new submission, not a double click. A job
    that is waiting or running is never touched.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.KEEP_FINISHED_DAYS)
    jobs, _kinds = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff
    ).delete()
    forms, _kinds = FormSubmission.objects.filter(submitted_at__lt=cutoff).delete()
    return jobs, forms


# Jobs the apps above the foundation run once a day (``register_daily``): the foundation does not
# import them, they register here from their ``AppConfig.ready()``. Each must be safe to run
# twice: a restarted worker runs them again at once.
_DAILY: list[Callable[[], object]] = []


def register_daily(job: Callable[[], object]) -> None:
    if job not in _DAILY:
        _DAILY.append(job)


def run_daily() -> None:
    """Run every registered daily job; one that fails is logged and does not stop the others."""
    for job in list(_DAILY):
        try:
            job()
        except DATABASE_ERRORS:
            raise  # an outage: the worker waits it out and tries again
        except Exception as error:
            # The class only: the message may quote personal data.
            logger.error("Daily job %s failed (%s)", job.__qualname__, type(error).__name__)


class Worker(db_worker.Worker):
    """django-tasks-db's worker with our own loop (see the module's docstring)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._failures = 0  # database errors in a row
        self._last_stale_check = None
        self._last_prune = None
        self._last_daily = None
        self._lock_db = None  # the connection that holds our liveness lock

    def run(self, *, iterations: int | None = None) -> None:
        """Claim and run jobs until a signal stops us (or after ``iterations`` turns, in tests)."""
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, self.queue_names)
        turns = 0
        try:
            while self.running and (iterations is None or turns < iterations):
                turns += 1
                try:
                    worked = self.step()
                except DATABASE_ERRORS as error:
                    self._wait_out(error)
                    continue
                self._failures = 0
                # After a signal interrupted a job, stop at once instead of sleeping.
                if self.running and not worked:
                    time.sleep(self.interval)
        finally:
            self.release_liveness_lock()

    def step(self) -> bool:
        """One turn: hold the lock, look for stale jobs when due, run one job. Did we run one?"""
        close_old_connections()  # drop a connection that broke while we slept
        self._hold_liveness_lock()
        now = time.monotonic()
        if self._last_stale_check is None or now - self._last_stale_check >= STALE_CHECK_EVERY:
            requeue_stale_tasks(backend_name=self.backend_name, own_worker_id=self.worker_id)
            self._last_stale_check = now
        if self._last_prune is None or now - self._last_prune >= PRUNE_EVERY:
            prune_finished()
            self._last_prune = now
        if self._last_daily is None or now - self._last_daily >= DAILY_EVERY:
            run_daily()
            self._last_daily = now
        job = self._claim()
        if job is None:
            return False
        self.run_task(job)
        close_old_connections()
        return True

    def _claim(self) -> DBTaskResult | None:
        jobs = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            jobs = jobs.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            jobs = jobs.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(jobs.db):
            job = jobs.get_locked()
            if job is not None:
                job.claim(self.worker_id)  # so that no other worker runs it
        return job

    def _hold_liveness_lock(self) -> None:
        """Hold our advisory lock on a connection of our own, taking it again after an outage.

        Not on Django's connection: that one is closed and reopened by age and by the tasks.
        """
        if self._lock_db is not None and self._lock_db.is_usable():
            return
        self.release_liveness_lock()
        lock_db = connections.create_connection(DEFAULT_DB_ALIAS)
        with lock_db.cursor() as cursor:
            cursor.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, _lock_key(self.worker_id)]
            )
            (got_it,) = cursor.fetchone()
        if not got_it:
            lock_db.close()
            raise OperationalError(f"Another worker holds the lock of worker id {self.worker_id}")
        self._lock_db = lock_db

    def release_liveness_lock(self) -> None:
        lock_db, self._lock_db = self._lock_db, None
        if lock_db is not None:
            # Broken already or not: either way the server lets go of the lock.
            with contextlib.suppress(*DATABASE_ERRORS):
                lock_db.close()

    def _wait_out(self, error: Exception) -> None:
        self._failures += 1
        wait = backoff_seconds(self._failures)
        # The error's class only: its text may quote the SQL and its parameters.
        logger.warning(
            "Database unavailable (%s, %d in a row); trying again in %s s",
            type(error).__name__,
            self._failures,
            wait,
        )
        for alias in connections:
            # A broken connection may complain on closing; closing it is all we want.
            with contextlib.suppress(*DATABASE_ERRORS):
                connections[alias].close()
        self.release_liveness_lock()
        time.sleep(wait)
