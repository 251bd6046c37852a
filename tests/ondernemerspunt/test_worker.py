"""The task worker keeps going: through a database outage, past a worker that was killed, and
the page says when a job was given up on (``ondernemerspunt/worker.py``)."""

import datetime

import pytest
from django.db import OperationalError
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from ondernemerspunt import worker as worker_module
from ondernemerspunt.models import ProgressReport
from ondernemerspunt.progress.reports import render_progress_report, request_progress_report
from ondernemerspunt.worker import Worker, backoff_seconds, requeue_stale_tasks
from tests.factories import make_desk, make_member

LONG_AGO = datetime.timedelta(minutes=20)  # beyond TASK_STALE_AFTER (15)


@pytest.fixture
def desk(db):
    return make_desk("noord", name="Ondernemerspunt Noord")


@pytest.fixture
def waits(monkeypatch):
    """The worker's sleeps, recorded instead of slept."""
    slept = []
    monkeypatch.setattr(worker_module.time, "sleep", slept.append)
    return slept


def a_worker(worker_id="levend"):
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def ask_for_report(desk):
    report = request_progress_report(
        desk=desk, year=2009, quarter=1, by=None, suppressed=True, language="nl"
    )
    return report, DBTaskResult.objects.get(args_kwargs__args=[report.pk])


def killed_while_running(job, *worker_ids):
    """As if each of ``worker_ids`` claimed the job and then died: it stays RUNNING."""
    job.status = TaskResultStatus.RUNNING
    job.worker_ids = list(worker_ids)
    job.started_at = timezone.now() - LONG_AGO
    job.save()


# Worker.run() closes the connection between turns, which would end a test's transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_keeps_going_after_a_database_outage(desk, waits, monkeypatch):
    report, job = ask_for_report(desk)
    real_get_locked = DBTaskResultQuerySet.get_locked
    outages = [OperationalError("server closed the connection unexpectedly")] * 2

    def flaky_get_locked(queryset):
        if outages:
            raise outages.pop()
        return real_get_locked(queryset)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", flaky_get_locked)
    worker = a_worker()
    worker.run(iterations=3)  # django-tasks-db's own worker ends at the first error
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.READY
    assert waits[:2] == [1, 2]  # waited, a little longer the second time
    assert worker.running


def test_the_wait_after_failures_is_capped_at_a_minute():
    assert [backoff_seconds(n) for n in (1, 2, 3, 7, 8, 50)] == [1, 2, 4, 60, 60, 60]


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_was_killed_is_run_again(desk, waits):
    report, job = ask_for_report(desk)
    killed_while_running(job, "gestorven")
    a_worker().run(iterations=1)
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.worker_ids == ["gestorven", "levend"]
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.READY
    assert ProgressReport.objects.count() == 1


def test_a_slow_job_of_a_live_worker_is_left_alone(desk):
    report, job = ask_for_report(desk)
    killed_while_running(job, "traag")
    slow = a_worker("traag")
    slow._hold_liveness_lock()  # still alive, on its own connection
    try:
        requeue_stale_tasks(backend_name="default")
        job.refresh_from_db()
        assert job.status == TaskResultStatus.RUNNING
    finally:
        slow.release_liveness_lock()  # now it is gone
    requeue_stale_tasks(backend_name="default")
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY


def test_a_recent_job_is_not_touched(desk):
    report, job = ask_for_report(desk)
    killed_while_running(job, "gestorven")
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now())
    requeue_stale_tasks(backend_name="default")
    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING


def test_after_the_last_attempt_the_job_fails_and_the_page_says_so(client, desk):
    report, job = ask_for_report(desk)
    killed_while_running(job, "een", "twee", "drie")
    requeue_stale_tasks(backend_name="default")
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    assert job.exception_class_path == "ondernemerspunt.worker.TaskGivenUp"
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.FAILED
    client.force_login(
        make_member(desk, "coordinator"), backend="django.contrib.auth.backends.ModelBackend"
    )
    page = client.get(reverse("progress_reports", args=[desk.slug, 2009])).content.decode()
    assert "mislukt" in page
    assert "Het rapport kon niet worden gemaakt. Vraag het opnieuw aan" in page
    assert "Maak het rapport" in page  # and the form to ask again is right there


def test_running_the_report_task_twice_keeps_the_ready_report(desk):
    report, job = ask_for_report(desk)
    render_progress_report.call(report.pk)
    report.refresh_from_db()
    first = (bytes(report.pdf), report.rendered_at)
    render_progress_report.call(report.pk)  # the job run again after its worker died
    report.refresh_from_db()
    assert (bytes(report.pdf), report.rendered_at) == first
    assert report.status == ProgressReport.Status.READY
    assert ProgressReport.objects.count() == 1


def test_old_finished_jobs_and_form_tokens_are_forgotten_and_nothing_else(desk, settings):
    """Both tables only grew: every job and every saved form stayed for ever."""
    from ondernemerspunt.models import FormSubmission

    settings.KEEP_FINISHED_DAYS = 30
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=31)
    old_done, recent_failed, waiting = (
        ask_for_report(make_desk(slug))[1] for slug in ("oost", "zuid", "west")
    )
    DBTaskResult.objects.filter(pk=old_done.pk).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=long_ago
    )
    DBTaskResult.objects.filter(pk=recent_failed.pk).update(
        status=TaskResultStatus.FAILED, finished_at=now - datetime.timedelta(days=29)
    )
    # Queued long ago and never run: still to do.
    DBTaskResult.objects.filter(pk=waiting.pk).update(enqueued_at=long_ago)
    FormSubmission.objects.create(token="o" * 24, submitted_at=long_ago)
    FormSubmission.objects.create(token="n" * 24, submitted_at=now)

    assert worker_module.prune_finished(now) == (1, 1)
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent_failed.pk, waiting.pk}
    assert list(FormSubmission.objects.values_list("token", flat=True)) == ["n" * 24]


@pytest.mark.django_db(transaction=True)
def test_the_worker_prunes_once_an_hour(desk, monkeypatch):
    pruned = []
    monkeypatch.setattr(worker_module, "prune_finished", lambda: pruned.append(1))
    clock = [1000.0]
    monkeypatch.setattr(worker_module.time, "monotonic", lambda: clock[0])
    worker = a_worker()
    try:
        for seconds in (1000.0, 1000.0 + 60, 1000.0 + 3600):
            clock[0] = seconds
            worker.step()
    finally:
        worker.release_liveness_lock()
    assert len(pruned) == 2  # at the first turn, and an hour later
