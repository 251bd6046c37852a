"""What a browser posts for the intake forms, with sensible values to override per test."""

from django.urls import reverse


def steps_data(rows=(), total=3):
    """The next-steps formset: ``rows`` as (description, due_on, owner); the rest left empty."""
    data = {
        "steps-TOTAL_FORMS": str(total),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "10",
    }
    for index in range(total):
        description, due_on, owner = rows[index] if index < len(rows) else ("", "", "resident")
        data[f"steps-{index}-description"] = description
        data[f"steps-{index}-due_on"] = due_on
        data[f"steps-{index}-owner"] = owner
    return data


def conversation_data(coach, **overrides):
    data = {
        "conversation-held_on": "2009-03-02",
        "conversation-coach": str(coach.pk),
        "conversation-channel": "desk",
        "conversation-duration_minutes": "60",
        "conversation-notes": "Wil een kapsalon beginnen.",
        "conversation-support_needs": ["business_plan", "financing"],
    }
    data.update(overrides)
    return data


def registration_data(
    cast, *, steps=(("Ondernemingsplan beginnen", "2009-03-16", "resident"),), **overrides
):
    data = {
        "desk": str(cast.desk.pk),
        "first_name": "Ayşe",
        "last_name": "Öztürk",
        "phone": "06-12345678",
        "email": "ayse@example.test",
        "street": "Korreweg 1",
        "postcode": "9713 ab",
        "city": "Groningen",
        "consent": "on",
        "date_of_birth": "14-06-1985",
        "registered_on": "2009-03-02",
        "situation": "benefits_ww",
        "business_idea": "Een kapsalon",
        "sector": "Kappers",
        "source": "flyer",
        "source_partner": "",
        "languages": "Turks, Nederlands",
        "coach": str(cast.coach.pk),
        "with_intake": "now",
        **conversation_data(cast.coach),
        **steps_data(steps),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_data(resident, **overrides):
    """The edit form as it comes back from the page: the stored values and their version."""
    data = {
        "version": str(resident.version),
        "first_name": resident.first_name,
        "last_name": resident.last_name,
        "phone": resident.phone,
        "email": resident.email,
        "street": resident.street,
        "postcode": resident.postcode,
        "city": resident.city,
        "date_of_birth": resident.date_of_birth.strftime("%d-%m-%Y")
        if resident.date_of_birth
        else "",
        "situation": resident.situation,
        "business_idea": resident.business_idea,
        "sector": resident.sector,
        "source": resident.source,
        "source_partner": str(resident.source_partner_id or ""),
        "languages": resident.languages,
        "coach": str(resident.coach_id or ""),
    }
    data.update(overrides)
    return data


def new_url():
    return reverse("intake:resident_new")
