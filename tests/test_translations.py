"""The Dutch catalogue is complete: Dutch is the default language of every page."""

from pathlib import Path

import polib
from django.conf import settings


def test_every_string_has_a_dutch_translation():
    catalogue = polib.pofile(Path(settings.BASE_DIR, "locale/nl/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries() if not e.obsolete]
    assert untranslated == [], "run makemessages and translate these"
    assert fuzzy == [], "check these fuzzy translations"
