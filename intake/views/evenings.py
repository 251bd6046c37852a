"""PLACEHOLDER — being written (staff pages for info evenings)."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


evening_list = evening_new = evening_detail = evening_edit = evening_publish = _todo
evening_cancel = evening_held = speaker_add = speaker_remove = evening_door = _todo
registration_attended = registration_to_resident = registration_to_contact = _todo
