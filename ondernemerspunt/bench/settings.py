"""The production settings, plus what only the benchmark needs (``make bench``).

The trivial view (``ondernemerspunt.bench.urls``) answers through the very same middleware as
every page, so the ratio of a page to it is the cost of the page itself. ``bench`` is an app
here only for its management command.
"""

from ondernemerspunt.settings import *  # noqa: F403
from ondernemerspunt.settings import INSTALLED_APPS

ROOT_URLCONF = "ondernemerspunt.bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "ondernemerspunt.bench"]
