"""Demo residents of the Korrewegwijk desk as it stood on 31-03-2009 (``ondernemerspunt/demo.py``).

Since 1 January 2009 the desk held 20 intake conversations; 6 residents are in the trajectory and
1 more has submitted her plan to Qredits: 7 participants toward the target of 50. The one who
submitted is Fatma, whose application and pack coaching's demo makes (she moves to *submitted to
Qredits* on 30-03-2009 there, as marking the pack sent would move her). One resident
dropped out, twelve had their intake and two are only registered.

Residents are keyed on their e-mail address, so running the seed again changes nothing. Other
apps look residents up the same way, e.g. ``saskia@korrewegwijk.example`` (in the trajectory).

Info evenings (issue 14): one for entrepreneurs on 26 February 2009 and one for intermediaries
(banks, accountants, consultants) on 17 March 2009, both held, with who came, who did not and a
walk-in; Kees and Nadia came to the February evening and had their intake within 3 months. And
one evening a few weeks from the real today, published, so that the public page has one to
register for. The 2009 registrations of people who did not become residents were long past the
keeping period (90 days) on any real day the demo is seeded: they are seeded already erased, as
the daily job would have left them (the rows, with attendance and kind of organisation, and no
names). So the first worker run finds nothing of the demo to erase, and the figures stay.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from intake.evenings import erase_registration, erased_after
from intake.models import (
    Audience,
    Consent,
    Conversation,
    DropOutReason,
    InfoEvening,
    NextStep,
    Registration,
    Resident,
    Situation,
    Source,
    Speaker,
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
                "Plan doorgelopen; de begroting van de voorraad moet nog beter onderbouwd.",
                [FIN],
                steps=[Step("Offertes van twee leveranciers opvragen", D(2009, 4, 20))],
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
    seed_evenings(demo)


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


# --- Info evenings (issue 14) -------------------------------------------------------------------
PLACE = {
    "place_name": "Buurthuis De Dissel",
    "street": "Korreweg 98",
    "postcode": "9713 AK",
    "city": "Groningen",
}
ENTREPRENEUR, INTERMEDIARY = Registration.Kind.ENTREPRENEUR, Registration.Kind.INTERMEDIARY
BANK, ACCOUNTANT, CONSULTANT = (
    Registration.OrganisationKind.BANK,
    Registration.OrganisationKind.ACCOUNTANT,
    Registration.OrganisationKind.CONSULTANT,
)
HEARD = Registration.HeardFrom


@dataclass
class DemoRegistration:
    name: str
    kind: str = ENTREPRENEUR
    attended: bool = True
    walk_in: bool = False
    status: str = Registration.Status.REGISTERED
    organisation: str = ""
    organisation_kind: str = ""
    role: str = ""
    heard_from: str = ""
    # The demo resident (by e-mail local part) this attendee became.
    resident: str = ""


@dataclass
class DemoEvening:
    title: str
    audience: str
    day: datetime.date
    capacity: int
    description: str
    # (kind, partner kind or coach key or "", name, topic)
    speakers: list
    registrations: list


EVENINGS = [
    DemoEvening(
        "Zelf ondernemer worden in de Korrewegwijk",
        Audience.ENTREPRENEURS,
        D(2009, 2, 26),
        30,
        "Wil je een eigen bedrijf beginnen? Je hoort hoe het ondernemerspunt helpt: van idee tot "
        "ondernemingsplan en een lening bij Qredits. Een ondernemer uit de buurt vertelt hoe zij "
        "het deed. Je kunt al je vragen stellen.",
        [
            (Speaker.Kind.COACH, COACH, "", "Hoe het ondernemerspunt je helpt"),
            (Speaker.Kind.PARTNER, Partner.Kind.QREDITS, "", "Een microkrediet aanvragen"),
            (
                Speaker.Kind.ENTREPRENEUR,
                "",
                "Marja Hoekstra, Bakkerij De Korrel",
                "Hoe ik mijn bakkerij begon",
            ),
        ],
        [
            DemoRegistration("Kees Dijkstra", heard_from=HEARD.NEWSPAPER, resident="kees"),
            DemoRegistration("Nadia El Idrissi", heard_from=HEARD.FLYER, resident="nadia"),
            DemoRegistration("Wim de Jong", heard_from=HEARD.FLYER),
            DemoRegistration("Yusuf Arslan", heard_from=HEARD.WORD_OF_MOUTH),
            DemoRegistration("Sanne Visser", attended=False, heard_from=HEARD.WEBSITE),
            DemoRegistration("Dennis Bakker", attended=False, heard_from=HEARD.FLYER),
            DemoRegistration(
                "Linda Kok",
                attended=False,
                status=Registration.Status.CANCELLED,
                heard_from=HEARD.NEWSPAPER,
            ),
            DemoRegistration("Marco Smit", walk_in=True),
        ],
    ),
    DemoEvening(
        "Informatieavond voor banken, accountants en adviseurs",
        Audience.INTERMEDIARIES,
        D(2009, 3, 17),
        25,
        "Kent u ondernemers in de Korrewegwijk die willen starten? Wij vertellen wat het "
        "ondernemerspunt doet, voor wie, en hoe u iemand kunt doorsturen.",
        [
            (Speaker.Kind.COACH, COACH2, "", "Het traject van aanmelding tot start"),
            (Speaker.Kind.PARTNER, Partner.Kind.KVK, "", "Starten bij de KvK"),
            (Speaker.Kind.PARTNER, Partner.Kind.BANK, "", "Wat een bank van een plan verwacht"),
        ],
        [
            DemoRegistration(
                "Erik Veldman",
                INTERMEDIARY,
                organisation="Rabobank Groningen",
                organisation_kind=BANK,
                role="adviseur startende ondernemers",
                heard_from=HEARD.ORGANISATION,
            ),
            DemoRegistration(
                "Monique Hofman",
                INTERMEDIARY,
                organisation="ABN AMRO Groningen",
                organisation_kind=BANK,
                role="accountmanager",
                heard_from=HEARD.ORGANISATION,
            ),
            DemoRegistration(
                "Theo Brouwer",
                INTERMEDIARY,
                organisation="Administratiekantoor Noord",
                organisation_kind=ACCOUNTANT,
                role="boekhouder",
                heard_from=HEARD.ORGANISATION,
            ),
            DemoRegistration(
                "Femke Dijkman",
                INTERMEDIARY,
                attended=False,
                organisation="Dijkman Belastingadvies",
                organisation_kind=ACCOUNTANT,
                role="eigenaar",
                heard_from=HEARD.NEWSPAPER,
            ),
            DemoRegistration(
                "Ruud Koster",
                INTERMEDIARY,
                organisation="Koster Bedrijfsadvies",
                organisation_kind=CONSULTANT,
                role="adviseur",
                heard_from=HEARD.WEBSITE,
            ),
            DemoRegistration(
                "Hanneke de Wit",
                INTERMEDIARY,
                walk_in=True,
                organisation="Startersloket Groningen",
                organisation_kind=CONSULTANT,
                role="coach",
            ),
        ],
    ),
]

COMING_TITLE = "Een eigen bedrijf beginnen: hoe pak je dat aan?"
# The coming evening lies this far after the day the demo is seeded, on its public page.
COMING_IN_DAYS = 21


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed_evenings(demo: DemoDesk) -> None:
    """The two evenings of 2009 (once) and an evening still to come (again whenever the last
    one seeded has passed)."""
    for spec in EVENINGS:
        starts = _local(spec.day, 19, 30)
        if not InfoEvening.objects.filter(
            desk=demo.desk, title=spec.title, starts_at=starts
        ).exists():
            _seed_evening(demo, spec, starts)
    now = timezone.now()
    coming = InfoEvening.objects.filter(desk=demo.desk, title=COMING_TITLE, starts_at__gt=now)
    if not coming.exists():
        _seed_coming_evening(demo)


def _seed_evening(demo: DemoDesk, spec: DemoEvening, starts: datetime.datetime) -> None:
    evening = InfoEvening.objects.create(
        desk=demo.desk,
        title=spec.title,
        audience=spec.audience,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        registration_deadline=_local(spec.day - datetime.timedelta(days=1), 17),
        capacity=spec.capacity,
        description=spec.description,
        status=InfoEvening.Status.HELD,
        created_by=demo.users["coordinator"],
        **PLACE,
    )
    for kind, who, name, topic in spec.speakers:
        Speaker.objects.create(
            evening=evening,
            kind=kind,
            partner=demo.partners.get(who) if kind == Speaker.Kind.PARTNER else None,
            coach=demo.users.get(who) if kind == Speaker.Kind.COACH else None,
            name=name,
            topic=topic,
        )
    keep_until = erased_after(evening)
    for entry in spec.registrations:
        registration = _registration(evening, entry, demo)
        # As the daily job would have left it: those who did not become residents are erased
        # once the keeping period is over (module docstring).
        if registration.resident_id is None and keep_until <= timezone.localdate():
            erase_registration(registration)


def _registration(evening: InfoEvening, entry: DemoRegistration, demo: DemoDesk):
    local = entry.name.split()[0].lower()
    resident = None
    if entry.resident:
        resident = Resident.objects.filter(desk=demo.desk, email=_email(entry.resident)).first()
    registration = Registration(
        evening=evening,
        kind=entry.kind,
        status=entry.status,
        name=entry.name,
        email="" if entry.walk_in else f"{local}@bezoeker.example",
        organisation=entry.organisation,
        organisation_kind=entry.organisation_kind,
        role=entry.role,
        heard_from=entry.heard_from,
        may_contact=resident is not None,
        walk_in=entry.walk_in,
        attended=entry.attended,
        resident=resident,
        cancelled_at=(
            evening.starts_at - datetime.timedelta(days=2)
            if entry.status == Registration.Status.CANCELLED
            else None
        ),
    )
    if resident is not None:  # she became this resident: her own details
        registration.email, registration.phone = resident.email, resident.phone
    registration.fill_keys()
    registration.save()
    return registration


def _seed_coming_evening(demo: DemoDesk) -> None:
    day = timezone.localdate() + datetime.timedelta(days=COMING_IN_DAYS)
    starts = _local(day, 19, 30)
    evening = InfoEvening.objects.create(
        desk=demo.desk,
        title=COMING_TITLE,
        audience=Audience.BOTH,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        registration_deadline=_local(day - datetime.timedelta(days=1), 17),
        capacity=30,
        description=(
            "Heb je een idee voor een eigen bedrijf? Of stuur je als bank, accountant of adviseur "
            "weleens iemand door? Kom luisteren en stel je vragen. Je hoort wat het "
            "ondernemerspunt doet en hoe een lening bij Qredits werkt."
        ),
        status=InfoEvening.Status.PUBLISHED,
        created_by=demo.users["coordinator"],
        **PLACE,
    )
    Speaker.objects.create(
        evening=evening,
        kind=Speaker.Kind.COACH,
        coach=demo.users[COACH],
        topic="Van idee tot ondernemingsplan",
    )
    Speaker.objects.create(
        evening=evening,
        kind=Speaker.Kind.PARTNER,
        partner=demo.partners[Partner.Kind.QREDITS],
        topic="Een microkrediet aanvragen",
    )
    for name, local in (("Joke Meester", "joke"), ("Samir Benali", "samir")):
        registration = Registration(
            evening=evening,
            kind=ENTREPRENEUR,
            name=name,
            email=f"{local}@bezoeker.example",
            heard_from=HEARD.FLYER,
            # The links in the reminder mail point at the development server (make run).
            site="http://127.0.0.1:8000",
        )
        registration.fill_keys()
        registration.save()
