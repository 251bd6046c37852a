"""The application's URLs and one trivial view, for the benchmark only
(``ondernemerspunt.bench.settings``)."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe


@require_safe
def trivial(request):
    """The least a Django view can do: what every page costs before its own work."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("", include("ondernemerspunt.urls")),
]
