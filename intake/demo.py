"""Demo residents of the Korrewegwijk desk as it stood on 31-03-2009 (``ondernemerspunt/demo.py``).

Since 1 January 2009 the desk held 20 intake conversations; 6 residents are in the trajectory and
1 more has submitted her plan to Qredits: 7 participants toward the target of 50. One resident
dropped out, twelve had their intake and two are only registered.

Residents are keyed on their e-mail address, so running the seed again changes nothing. Other
apps look residents up the same way, e.g. ``saskia@korrewegwijk.example`` (in the trajectory).
"""

import datetime
from dataclasses import dataclass, field

from intake.models import (
    Consent,
    Conversation,
    DropOutReason,
    NextStep,
    Resident,
    Situation,
    Source,
    Stage,
    StageChange,
    SupportNeed,
)
from intake.validators import normalise_phone, normalise_postcode
from ondernemerspunt.demo import DEMO_DOMAIN, DemoDesk, demo_user
from ondernemerspunt.models import Partner

D = datetime.date


def _email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


# The resident the business-plan demo (coaching) gives a half-finished plan.
PLAN_DEMO_EMAIL = _email("saskia")


@dataclass
class Step:
    description: str
    due_on: datetime.date
    owner: str = NextStep.Owner.RESIDENT
    done_on: datetime.date | None = None


@dataclass
class Talk:
    held_on: datetime.date
    notes: str
    needs: list = field(default_factory=list)
    kind: str = Conversation.Kind.FOLLOW_UP
    channel: str = Conversation.Channel.DESK
    minutes: int = 60
    steps: list = field(default_factory=list)


@dataclass
class DemoResident:
    first_name: str
    last_name: str
    email_local: str
    phone: str
    street: str
    postcode: str
    date_of_birth: datetime.date
    situation: str
    business_idea: str
    sector: str
    source: str
    languages: str
    coach: str
    registered_on: datetime.date
    # After 'registered': (stage, date, reason, note).
    stages: list = field(default_factory=list)
    talks: list = field(default_factory=list)
    partner_kind: str = ""


def _intake(day, notes, needs, steps=(), channel=Conversation.Channel.DESK, minutes=60):
    return Talk(day, notes, list(needs), Conversation.Kind.INTAKE, channel, minutes, list(steps))


BP, FIN, BOOK, MKT, LEGAL, BEN, MENTOR = (
    SupportNeed.BUSINESS_PLAN,
    SupportNeed.FINANCING,
    SupportNeed.BOOKKEEPING,
    SupportNeed.MARKETING,
    SupportNeed.LEGAL,
    SupportNeed.FROM_BENEFITS,
    SupportNeed.MENTORING,
)
INTAKE, TRAJECTORY = Stage.INTAKE, Stage.IN_TRAJECTORY
COACH, COACH2 = "coach", "coach2"

RESIDENTS = [
    DemoResident(
        "Saskia",
        "de Boer",
        "saskia",
        "06 41234567",
        "Vinkenstraat 14",
        "9713 TL",
        D(1972, 9, 3),
        Situation.CRISIS_JOB_LOSS,
        "Een naaiatelier voor reparaties en kleding op maat",
        "Textiel / naaiatelier",
        Source.INFO_EVENING,
        "Nederlands, Engels",
        COACH,
        D(2009, 1, 6),
        stages=[(INTAKE, D(2009, 1, 8), "", ""), (TRAJECTORY, D(2009, 1, 22), "", "")],
        talks=[
            _intake(
                D(2009, 1, 8),
                "Werkte 14 jaar bij een confectiebedrijf dat in december sloot. Heeft een "
                "naaimachine en veel vaste klanten uit de buurt.",
                [BP, FIN, MKT],
                [
                    Step(
                        "Lijst van vaste klanten en prijzen maken",
                        D(2009, 1, 20),
                        done_on=D(2009, 1, 19),
                    )
                ],
            ),
            Talk(
                D(2009, 1, 22),
                "Start traject. Ondernemingsplan samen opgezet; marktonderzoek in de wijk volgt.",
                [BP, FIN],
                steps=[
                    Step(
                        "Hoofdstuk marktonderzoek schrijven", D(2009, 2, 27), done_on=D(2009, 3, 2)
                    ),
                    Step("Investeringsbegroting invullen", D(2009, 4, 10)),
                ],
            ),
        ],
    ),
    DemoResident(
        "Mehmet",
        "Öztürk",
        "mehmet.ozturk",
        "06 28765432",
        "Korreweg 75",
        "9713 HV",
        D(1968, 4, 22),
        Situation.BENEFITS_WW,
        "Een Turkse bakkerij met een kleine lunchroom",
        "Horeca / bakkerij",
        Source.WORD_OF_MOUTH,
        "Turks, Nederlands",
        COACH2,
        D(2009, 1, 14),
        stages=[(INTAKE, D(2009, 1, 21), "", ""), (TRAJECTORY, D(2009, 2, 18), "", "")],
        talks=[
            _intake(
                D(2009, 1, 21),
                "Was bakker in loondienst, nu WW. Zoekt een pand aan de Korreweg.",
                [BP, FIN, BEN, LEGAL],
                [
                    Step(
                        "Gesprek met UWV over starten vanuit de WW",
                        D(2009, 2, 6),
                        done_on=D(2009, 2, 5),
                    )
                ],
                minutes=90,
            ),
            Talk(
                D(2009, 2, 18),
                "Start traject. UWV stemt in met de voorbereidingsperiode.",
                [BP, LEGAL],
                steps=[
                    Step(
                        "Vergunningen horeca navragen bij de gemeente",
                        D(2009, 3, 20),
                        NextStep.Owner.COACH,
                    )
                ],
            ),
        ],
    ),
    DemoResident(
        "Jan-Willem",
        "Huizinga",
        "janwillem",
        "050 318 2294",
        "Bedumerweg 31",
        "9713 AJ",
        D(1983, 11, 30),
        Situation.EMPLOYED,
        "Fietsenreparatie aan huis en op kantoor",
        "Fietsenmaker",
        Source.FLYER,
        "Nederlands",
        COACH,
        D(2009, 1, 20),
        stages=[(INTAKE, D(2009, 1, 27), "", ""), (TRAJECTORY, D(2009, 2, 24), "", "")],
        talks=[
            _intake(
                D(2009, 1, 27), "Wil naast zijn baan beginnen en later uitbreiden.", [BP, BOOK]
            ),
            Talk(
                D(2009, 2, 24),
                "Start traject; bakfiets en gereedschap begroot.",
                [BP, FIN],
                channel=Conversation.Channel.PHONE,
                minutes=30,
            ),
        ],
    ),
    DemoResident(
        "Priscilla",
        "Doelwijt",
        "priscilla",
        "06 19283746",
        "Merelstraat 8",
        "9713 KA",
        D(1976, 2, 11),
        Situation.BENEFITS_BIJSTAND,
        "Surinaamse catering voor feesten en bedrijven",
        "Catering",
        Source.LEFIER,
        "Nederlands, Sranantongo",
        COACH2,
        D(2009, 2, 2),
        stages=[(INTAKE, D(2009, 2, 5), "", ""), (TRAJECTORY, D(2009, 3, 5), "", "")],
        talks=[
            _intake(
                D(2009, 2, 5),
                "Kookt al jaren voor feesten in de buurt. Bijstand: Bbz bespreken.",
                [BP, BEN, LEGAL],
                channel=Conversation.Channel.HOME,
            ),
            Talk(
                D(2009, 3, 5),
                "Start traject. Hygiënecode en keukenruimte besproken.",
                [LEGAL, FIN],
                steps=[Step("Offerte keukenhuur opvragen", D(2009, 3, 27), done_on=D(2009, 3, 26))],
            ),
        ],
    ),
    DemoResident(
        "Rachid",
        "Bouzid",
        "rachid",
        "06 34455667",
        "Spreeuwenstraat 22",
        "9713 LM",
        D(1980, 7, 5),
        Situation.CRISIS_JOB_LOSS,
        "Klussenbedrijf voor onderhoud van huurwoningen",
        "Bouw / klussen",
        Source.PARTNER,
        "Nederlands, Arabisch, Berbers",
        COACH,
        D(2009, 2, 9),
        partner_kind=Partner.Kind.UWV,
        stages=[(INTAKE, D(2009, 2, 12), "", ""), (TRAJECTORY, D(2009, 3, 16), "", "")],
        talks=[
            _intake(
                D(2009, 2, 12),
                "Verwezen door UWV. Lefier zoekt klussers voor onderhoud.",
                [BP, FIN, MENTOR],
            ),
            Talk(
                D(2009, 3, 16),
                "Start traject; KvK-mentor aangevraagd.",
                [MENTOR],
                steps=[Step("Kennismaking met KvK-mentor", D(2009, 4, 3), NextStep.Owner.PARTNER)],
            ),
        ],
    ),
    DemoResident(
        "Anouk",
        "Hoekstra",
        "anouk",
        "06 52233445",
        "Lijsterstraat 3",
        "9713 CE",
        D(1985, 5, 19),
        Situation.EMPLOYED,
        "Webwinkel in duurzame babykleding",
        "Detailhandel / webwinkel",
        Source.WEBSITE,
        "Nederlands, Engels, Duits",
        COACH2,
        D(2009, 1, 5),
        stages=[
            (INTAKE, D(2009, 1, 7), "", ""),
            (TRAJECTORY, D(2009, 1, 15), "", ""),
            (Stage.SUBMITTED, D(2009, 3, 23), "", "Aanvraag van € 18.000 bij Qredits"),
        ],
        talks=[
            _intake(
                D(2009, 1, 7),
                "Heeft al een productlijn en leveranciers op het oog.",
                [BP, FIN, MKT],
            ),
            Talk(D(2009, 1, 15), "Start traject.", [BP]),
            Talk(
                D(2009, 3, 20),
                "Plan doorgelopen; klaar om in te dienen bij Qredits.",
                [FIN],
                steps=[Step("Reactie Qredits afwachten en doorgeven", D(2009, 4, 20))],
            ),
        ],
    ),
    DemoResident(
        "Gerrit",
        "Wiersma",
        "gerrit",
        "06 11223344",
        "Korreweg 160",
        "9713 EH",
        D(1961, 12, 1),
        Situation.CRISIS_JOB_LOSS,
        "Installatiebedrijf voor loodgieterswerk",
        "Installatietechniek",
        Source.INFO_EVENING,
        "Nederlands",
        COACH,
        D(2009, 1, 26),
        stages=[
            (INTAKE, D(2009, 1, 29), "", ""),
            (
                Stage.DROPPED_OUT,
                D(2009, 3, 2),
                DropOutReason.FOUND_JOB,
                "Heeft een vaste baan als monteur gevonden.",
            ),
        ],
        talks=[_intake(D(2009, 1, 29), "Twijfelt tussen starten en solliciteren.", [BP, FIN])],
    ),
    DemoResident(
        "Inge",
        "Postma",
        "inge",
        "06 23344556",
        "Mezenstraat 5",
        "9713 GP",
        D(1970, 3, 8),
        Situation.BENEFITS_OTHER,
        "Pedicurepraktijk aan huis",
        "Pedicure",
        Source.WORD_OF_MOUTH,
        "Nederlands",
        COACH2,
        D(2009, 2, 16),
        stages=[(INTAKE, D(2009, 2, 19), "", "")],
        talks=[
            _intake(
                D(2009, 2, 19),
                "Diploma pedicure behaald in 2008.",
                [BP, BOOK],
                [
                    Step(
                        "Prijzen van pedicures in de buurt opzoeken",
                        D(2009, 3, 6),
                        done_on=D(2009, 3, 9),
                    )
                ],
            )
        ],
    ),
    DemoResident(
        "Łukasz",
        "Kowalski",
        "lukasz",
        "06 45566778",
        "Bedumerweg 88",
        "9713 BK",
        D(1987, 8, 14),
        Situation.EMPLOYED,
        "Schilders- en afwerkingsbedrijf",
        "Schilder",
        Source.FLYER,
        "Pools, Engels, Nederlands",
        COACH,
        D(2009, 2, 17),
        stages=[(INTAKE, D(2009, 2, 23), "", "")],
        talks=[
            _intake(
                D(2009, 2, 23),
                "Gesprek deels in het Engels. Wil zich inschrijven bij de KvK.",
                [LEGAL, BOOK],
            )
        ],
    ),
    DemoResident(
        "Hülya",
        "Demir",
        "hulya",
        "06 56677889",
        "Vinkenstraat 40",
        "9713 TC",
        D(1982, 1, 27),
        Situation.BENEFITS_BIJSTAND,
        "Kinderopvang aan huis als gastouder",
        "Kinderopvang",
        Source.LEFIER,
        "Turks, Nederlands",
        COACH2,
        D(2009, 2, 23),
        stages=[(INTAKE, D(2009, 2, 26), "", "")],
        talks=[
            _intake(
                D(2009, 2, 26),
                "Woning geschikt? Eisen GGD nagaan.",
                [LEGAL, BEN],
                [
                    Step(
                        "Eisen GGD voor gastouders opvragen",
                        D(2009, 3, 13),
                        NextStep.Owner.COACH,
                        D(2009, 3, 12),
                    )
                ],
            )
        ],
    ),
    DemoResident(
        "Kees",
        "Dijkstra",
        "kees",
        "050 313 8821",
        "Korreweg 9",
        "9713 AW",
        D(1958, 10, 10),
        Situation.CRISIS_JOB_LOSS,
        "Tweedehands platenzaak met webwinkel",
        "Detailhandel",
        Source.INFO_EVENING,
        "Nederlands",
        COACH,
        D(2009, 3, 2),
        stages=[(INTAKE, D(2009, 3, 4), "", "")],
        talks=[
            _intake(
                D(2009, 3, 4),
                "Grote eigen collectie; zoekt klein winkelpand.",
                [BP, MKT],
                [Step("Huurprijzen winkelpanden verzamelen", D(2009, 4, 1))],
            )
        ],
    ),
    DemoResident(
        "Marloes",
        "van der Veen",
        "marloes",
        "06 67788990",
        "Lijsterstraat 27",
        "9713 CM",
        D(1988, 6, 2),
        Situation.STUDENT,
        "Fotografie voor bruiloften en bedrijven",
        "Fotografie",
        Source.WEBSITE,
        "Nederlands, Engels",
        COACH2,
        D(2009, 3, 3),
        stages=[(INTAKE, D(2009, 3, 9), "", "")],
        talks=[
            _intake(
                D(2009, 3, 9),
                "Studeert af in juni aan de Minerva-academie.",
                [BP, MKT],
                channel=Conversation.Channel.PHONE,
                minutes=45,
            )
        ],
    ),
    DemoResident(
        "Abdi",
        "Warsame",
        "abdi",
        "06 38899001",
        "Merelstraat 19",
        "9713 NB",
        D(1979, 12, 24),
        Situation.BENEFITS_BIJSTAND,
        "Belwinkel met reparatie van mobiele telefoons",
        "Detailhandel / reparatie",
        Source.PARTNER,
        "Somalisch, Nederlands, Engels",
        COACH,
        D(2009, 3, 5),
        partner_kind=Partner.Kind.MUNICIPALITY,
        stages=[(INTAKE, D(2009, 3, 11), "", "")],
        talks=[
            _intake(
                D(2009, 3, 11),
                "Verwezen door de gemeente (Bbz).",
                [BEN, FIN],
                [Step("Bbz-aanvraag voorbereiden", D(2009, 4, 8))],
            )
        ],
    ),
    DemoResident(
        "Renée",
        "Bosma",
        "renee",
        "06 89900112",
        "Spreeuwenstraat 2",
        "9713 PD",
        D(1975, 9, 15),
        Situation.SELF_EMPLOYED,
        "Yogastudio in de wijk",
        "Sport en welzijn",
        Source.WORD_OF_MOUTH,
        "Nederlands, Frans",
        COACH2,
        D(2009, 3, 9),
        stages=[(INTAKE, D(2009, 3, 12), "", "")],
        talks=[
            _intake(D(2009, 3, 12), "Geeft nu les in een buurthuis; wil eigen ruimte.", [FIN, MKT])
        ],
    ),
    DemoResident(
        "Tjeerd",
        "Zijlstra",
        "tjeerd",
        "06 30011223",
        "Korreweg 201",
        "9713 RG",
        D(1984, 4, 4),
        Situation.BENEFITS_WW,
        "Hoveniersbedrijf voor particulieren",
        "Hoveniers",
        Source.FLYER,
        "Nederlands, Fries",
        COACH,
        D(2009, 3, 10),
        stages=[(INTAKE, D(2009, 3, 16), "", "")],
        talks=[
            _intake(
                D(2009, 3, 16), "Ervaring bij een hoveniersbedrijf; WW sinds januari.", [BEN, BP]
            )
        ],
    ),
    DemoResident(
        "Nadia",
        "El Idrissi",
        "nadia",
        "06 10120230",
        "Mezenstraat 33",
        "9713 VW",
        D(1986, 11, 11),
        Situation.OTHER,
        "Marokkaanse hapjes aan huis bezorgen",
        "Catering",
        Source.INFO_EVENING,
        "Nederlands, Arabisch",
        COACH2,
        D(2009, 3, 12),
        stages=[(INTAKE, D(2009, 3, 18), "", "")],
        talks=[
            _intake(
                D(2009, 3, 18),
                "Wil klein beginnen met bestellingen via via.",
                [LEGAL, MKT],
                [Step("Cursus hygiënecode aanvragen", D(2009, 4, 15))],
            )
        ],
    ),
    DemoResident(
        "Bart",
        "Kuipers",
        "bart",
        "050 314 5566",
        "Bedumerweg 12",
        "9713 XC",
        D(1966, 2, 28),
        Situation.CRISIS_JOB_LOSS,
        "Computerhulp aan huis voor ouderen",
        "ICT-dienstverlening",
        Source.WEBSITE,
        "Nederlands",
        COACH,
        D(2009, 3, 16),
        stages=[(INTAKE, D(2009, 3, 19), "", "")],
        talks=[
            _intake(D(2009, 3, 19), "Ontslagen bij een ICT-bedrijf in februari.", [BP, MKT, BOOK])
        ],
    ),
    DemoResident(
        "Chantal",
        "Mulder-Smit",
        "chantal",
        "06 21324354",
        "Vinkenstraat 61",
        "9713 EP",
        D(1977, 7, 21),
        Situation.EMPLOYED,
        "Schoonheidssalon aan huis",
        "Schoonheidsverzorging",
        Source.LEFIER,
        "Nederlands",
        COACH2,
        D(2009, 3, 18),
        stages=[(INTAKE, D(2009, 3, 24), "", "")],
        talks=[
            _intake(
                D(2009, 3, 24),
                "Mag de woning van Lefier voor een salon gebruiken?",
                [LEGAL, FIN],
                [Step("Toestemming Lefier vragen", D(2009, 4, 7), NextStep.Owner.COACH)],
            )
        ],
    ),
    DemoResident(
        "Joost",
        "Meijer",
        "joost",
        "06 32435465",
        "Korreweg 44",
        "9713 GD",
        D(1990, 1, 9),
        Situation.STUDENT,
        "Koeriersdienst op de fiets in de binnenstad",
        "Transport",
        Source.OTHER,
        "Nederlands, Engels",
        COACH,
        D(2009, 3, 23),
        stages=[(INTAKE, D(2009, 3, 26), "", "")],
        talks=[
            _intake(
                D(2009, 3, 26),
                "Jong en enthousiast; nog geen eigen geld.",
                [FIN, BP],
                channel=Conversation.Channel.PHONE,
                minutes=30,
            )
        ],
    ),
    DemoResident(
        "Esra",
        "Kaya",
        "esra",
        "06 43546576",
        "Merelstraat 50",
        "9713 HB",
        D(1981, 10, 3),
        Situation.BENEFITS_BIJSTAND,
        "Kledingwinkel voor moslima's",
        "Detailhandel",
        Source.WORD_OF_MOUTH,
        "Turks, Nederlands",
        COACH2,
        D(2009, 3, 27),
    ),
    DemoResident(
        "Pieter",
        "Jongsma",
        "pieter",
        "06 54657687",
        "Lijsterstraat 9",
        "9713 BT",
        D(1973, 5, 30),
        Situation.BENEFITS_WW,
        "",
        "",
        Source.FLYER,
        "Nederlands",
        COACH,
        D(2009, 3, 30),
    ),
]

FATMA_INTAKE = _intake(
    D(2009, 1, 19),
    "Kapster met 10 jaar ervaring. Wil een salon voor dames en heren in de Korrewegwijk. "
    "Bijstand: starten met Bbz bespreken.",
    [BP, FIN, BEN],
    [Step("Kostenoverzicht inrichting salon maken", D(2009, 1, 30), done_on=D(2009, 1, 29))],
)
FATMA_START = Talk(
    D(2009, 2, 2),
    "Start traject. Fatma schrijft haar ondernemingsplan zelf in de app.",
    [BP, BEN],
    steps=[Step("Afspraak met de gemeente (Bbz) maken", D(2009, 4, 7))],
)


def seed(demo: DemoDesk) -> None:
    fatma = _seed_fatma(demo)
    if not fatma.conversations.exists():
        for talk in (FATMA_INTAKE, FATMA_START):
            _add_talk(fatma, talk, demo.users["coach"])
    for spec in RESIDENTS:
        if not Resident.objects.filter(desk=demo.desk, email=_email(spec.email_local)).exists():
            _seed_resident(demo, spec)


def _seed_fatma(demo: DemoDesk) -> Resident:
    """The demo resident who logs in as bewoner@: Fatma Yıldız, who wants to open a salon."""
    coach = demo.users["coach"]
    user = demo_user("bewoner", "Fatma Yıldız")
    existing = Resident.objects.filter(user=user).first()
    if existing is not None:
        return existing
    resident = Resident.objects.create(
        desk=demo.desk,
        user=user,
        coach=coach,
        first_name="Fatma",
        last_name="Yıldız",
        email=user.email,
        phone="050 313 4567",
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
    resident.sort_name = resident.build_sort_name()
    resident.save(update_fields=["search_text", "sort_name"])
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
    return resident


def _seed_resident(demo: DemoDesk, spec: DemoResident) -> Resident:
    coach = demo.users[spec.coach]
    postcode = normalise_postcode(spec.postcode)
    final_stage = spec.stages[-1][0] if spec.stages else Stage.REGISTERED
    resident = Resident(
        desk=demo.desk,
        coach=coach,
        first_name=spec.first_name,
        last_name=spec.last_name,
        email=_email(spec.email_local),
        phone=normalise_phone(spec.phone),
        street=spec.street,
        postcode=postcode,
        city="Groningen",
        neighbourhood=demo.desk.neighbourhood_for_postcode(postcode),
        date_of_birth=spec.date_of_birth,
        situation=spec.situation,
        business_idea=spec.business_idea,
        sector=spec.sector,
        source=spec.source,
        source_partner=demo.partners.get(spec.partner_kind),
        languages=spec.languages,
        stage=final_stage,
        registered_on=spec.registered_on,
    )
    resident.search_text = resident.build_search_text()
    resident.sort_name = resident.build_sort_name()
    resident.save()
    Consent.objects.create(resident=resident, given_on=spec.registered_on, recorded_by=coach)
    previous = ""
    for to_stage, day, reason, note in [
        (Stage.REGISTERED, spec.registered_on, "", ""),
        *spec.stages,
    ]:
        StageChange.objects.create(
            resident=resident,
            desk=demo.desk,
            from_stage=previous,
            to_stage=to_stage,
            changed_on=day,
            changed_by=coach,
            reason=reason,
            note=note,
        )
        previous = to_stage
    for talk in spec.talks:
        _add_talk(resident, talk, coach)
    return resident


def _add_talk(resident: Resident, talk: Talk, coach) -> None:
    conversation = Conversation.objects.create(
        resident=resident,
        desk=resident.desk,
        kind=talk.kind,
        held_on=talk.held_on,
        coach=coach,
        channel=talk.channel,
        duration_minutes=talk.minutes,
        notes=talk.notes,
        support_needs=talk.needs,
    )
    for step in talk.steps:
        NextStep.objects.create(
            conversation=conversation,
            resident=resident,
            description=step.description,
            due_on=step.due_on,
            owner=step.owner,
            done_on=step.done_on,
        )
