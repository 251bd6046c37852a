"""What the report says about the machine and the versions, and the workers' memory."""

import os
import platform
import shutil
import subprocess
from pathlib import Path

import django
import gunicorn
from django.db import connection


def description() -> str:
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return (
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"{memory_kb / 1024 / 1024:.0f} GB RAM, Linux {platform.release()}"
    )


def versions(workers: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk = subprocess.run(  # noqa: S603
        [shutil.which("wrk"), "-v"], capture_output=True, text=True, check=False
    )
    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"PostgreSQL {postgres} (pgserver), gunicorn {gunicorn.__version__} "
        f"({workers} sync workers), " + (wrk.stdout or wrk.stderr).split("[")[0].strip()
    )


def worker_memory(master: int) -> dict:
    """Resident memory (MB) of each of gunicorn's workers."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = {}
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes[int(pid)] = int(line.split()[1]) / 1024
    return sizes
