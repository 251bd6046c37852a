"""Demo residents of the Korrewegwijk desk (see ``ondernemerspunt/demo.py``)."""

import datetime

from intake.models import Consent, Resident, Situation, Source, Stage, StageChange
from ondernemerspunt.demo import DemoDesk, demo_user


def seed(demo: DemoDesk) -> None:
    """The demo resident who logs in as bewoner@: Fatma Yıldız, who wants to open a salon."""
    coach = demo.users["coach"]
    user = demo_user("bewoner", "Fatma Yıldız")
    if Resident.objects.filter(user=user).exists():
        return
    resident = Resident.objects.create(
        desk=demo.desk,
        user=user,
        coach=coach,
        first_name="Fatma",
        last_name="Yıldız",
        email=user.email,
        phone="050-3134567",
        street="Korreweg 112",
        postcode="9713 HN",
        city="Groningen",
        neighbourhood=demo.desk.neighbourhood_for_postcode("9713HN"),
        date_of_birth=datetime.date(1979, 6, 14),
        situation=Situation.BENEFITS_BIJSTAND,
        business_idea="Een kapsalon voor dames en heren in de Korrewegwijk",
        sector="Kappers",
        source=Source.LEFIER,
        languages="Nederlands, Turks",
        stage=Stage.IN_TRAJECTORY,
        registered_on=datetime.date(2009, 1, 12),
    )
    resident.search_text = resident.build_search_text()
    resident.save(update_fields=["search_text"])
    Consent.objects.create(resident=resident, given_on=resident.registered_on, recorded_by=coach)
    history = [
        ("", Stage.REGISTERED, datetime.date(2009, 1, 12)),
        (Stage.REGISTERED, Stage.INTAKE, datetime.date(2009, 1, 19)),
        (Stage.INTAKE, Stage.IN_TRAJECTORY, datetime.date(2009, 2, 2)),
    ]
    for from_stage, to_stage, day in history:
        StageChange.objects.create(
            resident=resident,
            desk=demo.desk,
            from_stage=from_stage,
            to_stage=to_stage,
            changed_on=day,
            changed_by=coach,
        )
