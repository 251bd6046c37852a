"""PLACEHOLDER — being written (public pages for info evenings)."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


evening_list = evening_page = registered = evening_ics = cancel = _todo
