"""Run the background work (PDFs, e-mail) until stopped by a signal.

    manage.py run_worker [--queue-name default] [--interval 1]

Use this rather than django-tasks-db's ``db_worker``: it survives a database outage and runs
again the jobs of a worker that died (``ondernemerspunt/worker.py``). Run as many as you like;
each needs its own ``--worker-id`` (the default is random).
"""

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import (
    valid_backend_name,
    valid_interval,
    validate_worker_id,
)

from ondernemerspunt.worker import Worker


class Command(BaseCommand):
    help = "Run the task worker; it survives database outages and retries jobs of dead workers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue-name",
            default=DEFAULT_TASK_QUEUE_NAME,
            help="queues to process, separated by commas; '*' for all (default: %(default)r)",
        )
        parser.add_argument(
            "--interval",
            default=1,
            type=valid_interval,
            help="seconds to wait when there is nothing to do (default: %(default)r)",
        )
        parser.add_argument(
            "--backend",
            default=DEFAULT_TASK_BACKEND_ALIAS,
            type=valid_backend_name,
            dest="backend_name",
            help="the task backend to work for (default: %(default)r)",
        )
        parser.add_argument(
            "--worker-id",
            type=validate_worker_id,
            default=None,
            help="unique across the running workers (default: random)",
        )

    def handle(self, *, queue_name, interval, backend_name, worker_id, **options):
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=False,
            backend_name=backend_name,
            startup_delay=True,
            max_tasks=None,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
