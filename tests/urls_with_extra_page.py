"""The project's URLs plus one page nobody listed in the access matrix."""

from django.http import HttpResponse
from django.urls import path

from ondernemerspunt.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("extra/", lambda request: HttpResponse("hi"), name="extra_page_nobody_listed"),
]
