"""Demo business plans (see ``ondernemerspunt/demo.py``; run after ``intake.demo``).

Fatma Yıldız (bewoner@) has a complete plan for a hair salon on the Korreweg whose figures pass
every check with the 2009 limits (own funds ≥ 30%, Qredits loan ≤ €35.000). She handed it in
twice: version 1 still asked too big a loan with too little of her own money, the coach said
so, and version 2 fixes it, so "compare versions" has something to show.

Saskia de Boer (saskia@) is halfway: the text parts are written, the investment and financing
budgets are started and do not match yet, and her own funds are below 30%: two checks fail, the
others cannot be computed yet. She handed in version 1 to hear what her coach thinks; the review
says *aanpassen* (own funds, competitors, the budgets), and she has since added her competitors.

Fatma's version 1 has a concluded *aanpassen* review (the feedback of old), version 2 a concluded
*klaar voor Qredits* review: the reviews go through ``coaching.reviews`` like a coach's would.

Referrals, mentors and the benefits route (issue 10): a referral in each status under a
recorded consent to share (one waits for the KvK's answer in the inbox of kvk@), two mentor
matches of the KvK's pool (Fatma's with two meetings), and Priscilla's Bbz consultation, all in
February and March 2009.

The Qredits application (issue 11): the coach assembled Fatma's application from version 2
(the one the review found ready): € 18.000 for the salon's fit-out, with the enclosures ticked
off, and the pack (version 1) rendered and sent, submitted to Qredits on 30 March 2009. Sending
it moved her to *submitted to Qredits* that day, as marking a pack sent does: she is the one
resident of the desk in that stage on 31 March 2009 (intake's demo counts on it).

Keyed on the resident: a plan that already has content is left alone, and a resident with
referrals, a match or a consultation gets no more, and a plan with an application gets no
second, so seeding twice changes nothing.
"""

import copy
import datetime
import functools
from decimal import Decimal

from django.utils import timezone

from coaching import reviews
from coaching.applications import ApplicationRefused, start_application
from coaching.checks import Limits
from coaching.models import (
    ApplicationPack,
    BenefitsConsultation,
    BusinessPlan,
    Enclosure,
    LoanApplication,
    Mentor,
    MentorMatch,
    MentorMeeting,
    PartnerConsent,
    PlanRevision,
    PlanSection,
    Referral,
    ReferralEvent,
    Review,
    SharedField,
    Topic,
    Verdict,
)
from coaching.packs import content_hash, pack_html, pdf_of_html
from coaching.referrals import add_working_days
from coaching.services import start_plan
from intake.models import Resident, Stage
from intake.services import change_stage
from ondernemerspunt.demo import DEMO_DOMAIN, DemoDesk
from ondernemerspunt.models import Partner

FATMA_EMAIL = f"bewoner@{DEMO_DOMAIN}"
SASKIA_EMAIL = f"saskia@{DEMO_DOMAIN}"

# Twelve months of the salon's first year: (receipts, payments). The payments leave out the
# loans: the cash-flow forecast adds their interest and repayment (about € 443 a month) from
# the financing budget. Month 1 opens with the € 2.400 cash of the investment budget.
SALON_MONTHS = [
    (3000, 3850),
    (3800, 3700),
    (4300, 3750),
    (4700, 3800),
    (5000, 3850),
    (5000, 3850),
    (4600, 3800),
    (4400, 3800),
    (5000, 3850),
    (5100, 3850),
    (5200, 3900),
    (5900, 4150),
]

SALON = {
    "entrepreneur": {
        "motivation": (
            "Ik ben al 20 jaar kapster. Sinds de kapsalon waar ik werkte in 2008 dichtging, zit "
            "ik in de bijstand. Ik wil weer werken, en dan in mijn eigen zaak: een salon waar "
            "vrouwen en mannen uit de buurt zich welkom voelen, ook als ze weinig Nederlands "
            "spreken."
        ),
        "education": (
            "MBO Kapper niveau 3 (Noorderpoort, 1998). Cursus kleuren en highlights (2003). "
            "Cursus Starten als ondernemer bij de KvK (februari 2009)."
        ),
        "experience": (
            "1998-2008: kapster bij Salon Bella in Groningen, de laatste 4 jaar als "
            "eerste kapster: ik deed de inkoop en maakte het rooster. Daarvoor bijbaan bij een "
            "drogisterij."
        ),
        "strengths": (
            "Vakmanschap: knippen, kleuren, bruidskapsels. Ik spreek Nederlands en Turks. Veel "
            "klanten uit de wijk kennen mij nog en willen terugkomen."
        ),
        "development_points": (
            "Boekhouding en belastingen: ik volg de cursus van de KvK en neem een boekhouder. "
            "Reclame maken: daar helpt mijn KvK-mentor mij bij."
        ),
        "current_income": "1050.00",
        "own_capital": "9500.00",
    },
    "business": {
        "description": (
            "Kapsalon Fatma is een kapsalon voor dames, heren en kinderen aan de Korreweg. Ook "
            "bruidskapsels en kleuren. Open van dinsdag tot en met zaterdag."
        ),
        "products": (
            "Knippen dames € 22, heren € 15, kinderen € 11. Kleuren vanaf € 35. Bruidskapsel "
            "€ 75. Verkoop van shampoo en verzorgingsproducten."
        ),
        "business_name": "Kapsalon Fatma",
        "location": (
            "Winkelpand Korreweg 96 (45 m²), huur € 800 per maand. Lefier verhuurt het pand; "
            "het was eerder een kapsalon, de water- en stroomaansluitingen zijn er al."
        ),
        "legal_form": "eenmanszaak",
        "permits": (
            "Geen vergunning nodig voor een kapsalon. Wel inschrijven bij de KvK en het "
            "vakdiploma laten zien."
        ),
        "insurances": (
            "Bedrijfsaansprakelijkheid, inventaris- en glasverzekering. Ik kijk nog naar een "
            "arbeidsongeschiktheidsverzekering."
        ),
        "bookkeeping": (
            "Ik houd de kas en de bonnen elke week bij. Administratiekantoor Noord doet de btw en "
            "de aangifte inkomstenbelasting."
        ),
        "start_date": "2009-06-01",
        "kvk_number": "",
    },
    "marketing": {
        "research": (
            "Ik heb 60 mensen in de wijk gevraagd waar ze naar de kapper gaan (februari 2009). "
            "38 gaan naar het centrum of naar Beijum, en zouden liever dichtbij gaan. Cijfers van "
            "de KvK: in de Korrewegwijk wonen 11.000 mensen en er zijn maar 2 kapsalons."
        ),
        "target_group": (
            "Vrouwen en mannen uit de Korrewegwijk en De Hoogte, van jong tot oud. Vooral "
            "gezinnen en mensen die Turks of Arabisch spreken."
        ),
        "competitors": (
            "Kapsalon Hair & Co (duurder, alleen dames) en een herenkapper aan de "
            "Oosterhamriklaan. Ik ben goedkoper dan het centrum en ik spreek Turks."
        ),
        "strengths": (
            "Vakkennis, vaste klanten, talen, een pand dat al ingericht is voor een kapper."
        ),
        "weaknesses": (
            "Weinig ervaring met boekhouden; alleen in de zaak, dus ziek zijn is een risico."
        ),
        "opportunities": (
            "Veel nieuwe gezinnen in de wijk; Lefier knapt de Korreweg op; geen kapper die Turks "
            "spreekt."
        ),
        "threats": "Minder geld bij mensen door de crisis; een grote ketenkapper in het centrum.",
        "product": "Knippen, kleuren, föhnen, bruidskapsels; verzorgingsproducten.",
        "price": "Iets onder het centrum: dames € 22, heren € 15. 10% korting voor 65-plussers.",
        "place": "Korreweg 96, dinsdag tot en met zaterdag 9-18 uur, donderdag tot 21 uur.",
        "promotion": (
            "Folders in de wijk, een advertentie in de wijkkrant, een opening met korting, en "
            "een stempelkaart: de tiende knipbeurt gratis."
        ),
        "personnel": ("Ik werk alleen. Op zaterdag helpt een stagiaire van het Noorderpoort."),
    },
    "investment": {
        "assets": [
            {"description": "Verbouwing en inrichting salon", "amount": "9500.00", "years": 5},
            {"description": "Kappersstoelen en wasunits", "amount": "6000.00", "years": 5},
            {"description": "Föhns, tangen en sterilisator", "amount": "2000.00", "years": 3},
            {"description": "Kassa en computer", "amount": "1500.00", "years": 3},
        ],
        "stock": "2500.00",
        "startup_costs": "1500.00",
        "vat": "3600.00",
        "contingency": "1000.00",
        "cash": "2400.00",
    },
    "financing": {
        "own_funds": "9500.00",
        "qredits_amount": "18000.00",
        "qredits_rate": "9.00",
        "qredits_months": 60,
        "bank_amount": None,
        "bank_rate": None,
        "bank_months": None,
        "family_amount": "2500.00",
        "family_rate": "0.00",
        "family_months": 36,
        "other_amount": None,
        "other_rate": None,
        "other_months": None,
        "supplier_credit": "0.00",
    },
    "operating": {
        "turnover_explanation": (
            "Gemiddeld 12 klanten per dag × € 25 × 4,5 dagen × 43 weken = € 58.050, afgerond "
            "€ 58.000. Jaar 2 en 3: meer vaste klanten, en de prijzen gaan iets omhoog."
        ),
        **{
            f"{row}_{year}": value
            for row, values in {
                "turnover": ("58000.00", "64000.00", "68000.00"),
                "purchases": ("7000.00", "7700.00", "8200.00"),
                "rent": ("9600.00", "9800.00", "10000.00"),
                "car": ("0.00", "0.00", "0.00"),
                "marketing": ("1800.00", "1200.00", "1200.00"),
                "insurance": ("1200.00", "1200.00", "1200.00"),
                "other_costs": ("8000.00", "8500.00", "9000.00"),
                "tax": ("2000.00", "3000.00", "3800.00"),
            }.items()
            for year, value in zip((1, 2, 3), values, strict=True)
        },
    },
    "cashflow": {
        **{f"receipts_{n}": f"{r}.00" for n, (r, _p) in enumerate(SALON_MONTHS, start=1)},
        **{f"payments_{n}": f"{p}.00" for n, (_r, p) in enumerate(SALON_MONTHS, start=1)},
    },
    "private_budget": {
        "housing": "520.00",
        "energy": "150.00",
        "health_insurance": "110.00",
        "living": "600.00",
        "transport": "40.00",
        "other_costs": "230.00",
        "partner_income": "0.00",
        "allowances": "150.00",
        "other_income": "0.00",
    },
}


def _first_version():
    """Version 1: a € 22.000 loan and only € 5.500 of her own (18,3%): the coach objected."""
    plan = copy.deepcopy(SALON)
    plan["financing"]["own_funds"] = "5500.00"
    plan["financing"]["qredits_amount"] = "22000.00"
    plan["marketing"]["research"] = (
        "Veel mensen in de wijk gaan naar het centrum naar de kapper. Er zijn maar 2 kapsalons."
    )
    return plan


SEWING_STUDIO = {
    "entrepreneur": {
        "motivation": (
            "Ik heb 14 jaar bij een confectiebedrijf gewerkt dat in december dichtging. Naaien is "
            "mijn vak en veel mensen in de buurt vragen mij al om reparaties."
        ),
        "education": "MBO Mode en Kleding niveau 2. Cursus patroontekenen.",
        "experience": "1994-2008: naaister en later ploegleider bij Confectie Noord.",
        "strengths": "Snel en precies werken; vaste klanten uit de buurt.",
        "development_points": "Prijzen berekenen en de boekhouding.",
        "current_income": "1400.00",
        "own_capital": "1500.00",
    },
    "business": {
        "description": "Een naaiatelier voor reparaties, vermaken en kleding op maat.",
        "products": "Broek inkorten € 10, rits vervangen € 12, jurk op maat vanaf € 120.",
        "business_name": "Naaiatelier Saskia",
        "location": "Aan huis, in de voorkamer van Vinkenstraat 14.",
        "legal_form": "eenmanszaak",
        "permits": "",
        "insurances": "",
        "bookkeeping": "",
        "start_date": "2009-09-01",
        "kvk_number": "",
    },
    "marketing": {
        "research": (
            "Ik heb bij 30 buren gevraagd of ze kleding laten maken of repareren. De helft doet "
            "dat nu bij een stomerij in het centrum."
        ),
        "target_group": "Buren, gezinnen en ouderen in de Korrewegwijk.",
        "competitors": "Stomerijen in het centrum; die zijn duurder en verder weg.",
    },
    "investment": {
        "assets": [
            {"description": "Industriële naaimachine", "amount": "3500.00", "years": 5},
            {"description": "Lockmachine", "amount": "1200.00", "years": 5},
            {"description": "Paspop, strijkplank en werktafel", "amount": "800.00", "years": 5},
        ],
        "stock": "1000.00",
        "startup_costs": "500.00",
        "vat": None,
        "contingency": None,
        "cash": "1000.00",
    },
    "financing": {
        "own_funds": "1500.00",
        "qredits_amount": "5500.00",
        "qredits_rate": "9.00",
        "qredits_months": 48,
        "supplier_credit": None,
    },
}


def _fill(plan: BusinessPlan, content: dict, *, saved_at, by) -> None:
    for key, data in content.items():
        PlanSection.objects.filter(plan=plan, key=key).update(
            data=data, version=1, saved_at=saved_at, saved_by=by
        )


def _at(day: datetime.date, hour: int = 20):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed(demo: DemoDesk) -> None:
    coach = demo.users["coach"]
    fatma = Resident.objects.filter(desk=demo.desk, email=FATMA_EMAIL).first()
    if fatma is not None and fatma.user_id:
        _seed_salon(fatma, coach, Limits.of_desk(demo.desk))
        _seed_application(fatma, coach)
    saskia = Resident.objects.filter(desk=demo.desk, email=SASKIA_EMAIL).first()
    if saskia is None:
        # Intake's demo has not made her (yet): any other resident in the trajectory will do.
        saskia = (
            Resident.objects.filter(desk=demo.desk, stage=Stage.IN_TRAJECTORY)
            .exclude(email=FATMA_EMAIL)
            .order_by("registered_on", "id")
            .first()
        )
    if saskia is not None:
        _seed_half_finished(saskia, coach, Limits.of_desk(demo.desk))
    _seed_referrals(demo)
    _seed_mentors(demo)
    _seed_benefits(demo)


def _has_content(plan: BusinessPlan) -> bool:
    return any(section.data for section in plan.sections.all())


def _seed_salon(resident, coach, limits) -> None:
    plan = start_plan(resident=resident)
    if _has_content(plan):
        return
    user = resident.user
    first = PlanRevision.objects.create(
        plan=plan,
        number=1,
        snapshot={"sections": _first_version(), "limits": limits.as_json()},
        submitted_at=_at(datetime.date(2009, 3, 9)),
        submitted_by=user,
    )
    _review(
        first,
        coach,
        outcome=Review.Outcome.REVISE,
        verdicts=SALON_FIRST_VERDICTS,
        comments=SALON_FIRST_COMMENTS,
        started_at=_at(datetime.date(2009, 3, 11), 14),
        concluded_at=_at(datetime.date(2009, 3, 12), 11),
    )
    second = PlanRevision.objects.create(
        plan=plan,
        number=2,
        snapshot={"sections": SALON, "limits": limits.as_json()},
        submitted_at=_at(datetime.date(2009, 3, 23)),
        submitted_by=user,
    )
    _review(
        second,
        coach,
        outcome=Review.Outcome.READY,
        verdicts=SALON_READY_VERDICTS,
        comments=SALON_READY_COMMENTS,
        started_at=_at(datetime.date(2009, 3, 25), 10),
        concluded_at=_at(datetime.date(2009, 3, 26), 16),
    )
    _fill(plan, SALON, saved_at=_at(datetime.date(2009, 3, 23), 19), by=user)
    BusinessPlan.objects.filter(pk=plan.pk).update(
        status=BusinessPlan.Status.SUBMITTED,
        started_at=_at(datetime.date(2009, 2, 3), 10),
        changed_at=_at(datetime.date(2009, 3, 23), 19),
    )


SALON_APPLICATION = {
    "amount": Decimal("18000.00"),
    "purpose": "Verbouwing en inrichting van de salon, kappersstoelen, wasunits en apparatuur",
    "term_months": 60,
    "repayment_free_months": 0,  # as the plan's Qredits loan: repaid from month 1
    "recommendation": (
        "Fatma is een ervaren kapster met vaste klanten in de wijk. Haar plan is realistisch: "
        "de omzet is voorzichtig geschat, zij brengt meer dan 30% eigen geld in en heeft de "
        "gemeente (Bbz) en een KvK-mentor erbij betrokken. Wij adviseren de lening toe te "
        "kennen."
    ),
}
# Enclosure kind -> (status, note); the business plan is present by construction.
SALON_ENCLOSURES = {
    Enclosure.Kind.QUOTES: (Enclosure.Status.PRESENT, "Offertes verbouwing en stoelen"),
    Enclosure.Kind.KVK_EXTRACT: (Enclosure.Status.NOT_NEEDED, "Inschrijving volgt bij de start"),
    Enclosure.Kind.ANNUAL_FIGURES: (Enclosure.Status.NOT_NEEDED, "Nieuw bedrijf"),
    Enclosure.Kind.INTERIM_FIGURES: (Enclosure.Status.NOT_NEEDED, "Nieuw bedrijf"),
    Enclosure.Kind.BKR: (Enclosure.Status.PRESENT, "Geen registraties"),
}
SALON_SUBMITTED_ON = datetime.date(2009, 3, 30)


@functools.lru_cache(maxsize=2)
def _demo_pack_pdf(html: str) -> tuple[bytes, int]:
    """The demo pack's PDF, rendered once per process for the same HTML: seeding again (the
    tests seed the demo many times) reuses the PDF instead of spending seconds on WeasyPrint,
    and a change in the demo's plan or the pack's template changes the HTML and renders anew."""
    return pdf_of_html(html)


def _seed_application(resident, coach) -> None:
    """Fatma's application from the version found ready, with its pack sent in March 2009."""
    plan = BusinessPlan.objects.filter(resident=resident).first()
    if plan is None or plan.applications.exists():
        return
    try:
        application = start_application(plan=plan, by=coach, values=SALON_APPLICATION)
    except ApplicationRefused:
        return  # not ready (someone changed the demo plan): no application
    for kind, (status, note) in SALON_ENCLOSURES.items():
        application.enclosures.filter(kind=kind).update(status=status, note=note)
    LoanApplication.objects.filter(pk=application.pk).update(
        status=LoanApplication.Status.SUBMITTED,
        submitted_on=SALON_SUBMITTED_ON,
        identity_seen_on=datetime.date(2009, 3, 27),
        identity_seen_by=coach,
        created_at=_at(datetime.date(2009, 3, 27), 10),
        updated_at=_at(SALON_SUBMITTED_ON, 11),
    )
    pack = ApplicationPack.objects.create(
        application=application,
        number=1,
        requested_by=coach,
        requested_at=_at(SALON_SUBMITTED_ON, 10),
    )
    # Rendered here, not by the worker: the seed leaves nothing queued behind it.
    html = pack_html(pack)
    pdf, pages = _demo_pack_pdf(html)
    ApplicationPack.objects.filter(pk=pack.pk).update(
        status=ApplicationPack.Status.READY,
        pdf=pdf,
        pages=pages,
        content_hash=content_hash(html),
        rendered_at=_at(SALON_SUBMITTED_ON, 10),
        sent_at=_at(SALON_SUBMITTED_ON, 11),
    )
    change_stage(
        resident=resident,
        to_stage=Stage.SUBMITTED,
        on=SALON_SUBMITTED_ON,
        by=coach,
        note="Qredits-pakket versie 1 verstuurd",  # the demo's texts are Dutch, as typed
    )


def _seed_half_finished(resident, coach, limits) -> None:
    plan = start_plan(resident=resident)
    if _has_content(plan):
        return
    coach = resident.coach or coach
    # Version 1 had no competitors yet: the coach asked for them, and she wrote them since.
    handed_in = copy.deepcopy(SEWING_STUDIO)
    del handed_in["marketing"]["competitors"]
    revision = PlanRevision.objects.create(
        plan=plan,
        number=1,
        snapshot={"sections": handed_in, "limits": limits.as_json()},
        submitted_at=_at(datetime.date(2009, 3, 16)),
        # The demo gives her no login of her own: her coach handed it in with her at the desk.
        submitted_by=resident.user or coach,
    )
    _review(
        revision,
        coach,
        outcome=Review.Outcome.REVISE,
        verdicts=SEWING_VERDICTS,
        comments=SEWING_COMMENTS,
        started_at=_at(datetime.date(2009, 3, 18), 10),
        concluded_at=_at(datetime.date(2009, 3, 19), 15),
    )
    _fill(plan, SEWING_STUDIO, saved_at=_at(datetime.date(2009, 3, 27), 21), by=resident.user)
    BusinessPlan.objects.filter(pk=plan.pk).update(
        started_at=_at(datetime.date(2009, 1, 22), 15),
        changed_at=_at(datetime.date(2009, 3, 27), 21),
    )


# --- The reviews ------------------------------------------------------------------------------
# A verdict per topic, then per position in the default checklist: (verdict, comment). Items a
# plan check decides take the check's verdict, as the review page suggests it.
Verdicts = dict  # Topic or position -> (verdict, comment)

SALON_FIRST_VERDICTS: Verdicts = {
    Topic.ENTREPRENEUR: (Verdict.FINE, ""),
    Topic.IDEA: (Verdict.FINE, ""),
    Topic.MARKET: (Verdict.ATTENTION, ""),
    Topic.MARKETING: (Verdict.FINE, ""),
    Topic.FINANCIAL: (Verdict.FINE, ""),
    Topic.LEGAL: (Verdict.FINE, ""),
    Topic.DOCUMENTS: (Verdict.ATTENTION, "Vraag alvast een offerte voor de stoelen en wasunits."),
    5: (Verdict.ATTENTION, "Schrijf op hoeveel mensen je gevraagd hebt, en wat ze zeiden."),
    9: (Verdict.INSUFFICIENT, "Je eigen inbreng is 18%. Qredits vraagt minstens 30%."),
}
SALON_FIRST_COMMENTS = {
    "": (
        "Goed plan, Fatma! Twee dingen: je eigen inbreng is nu 18% van de financiering, "
        "Qredits vraagt minstens 30%. Kun je je eigen stoelen en apparaten meetellen? En "
        "schrijf bij het marktonderzoek hoeveel mensen je gevraagd hebt."
    ),
    "financing": (
        "Je leent € 22.000 en je legt zelf € 5.500 in. Dat is te weinig eigen geld. Tel ook "
        "mee wat je zelf al hebt: je spaargeld en je eigen apparaten."
    ),
    "marketing": (
        "Je schrijft dat veel mensen naar het centrum gaan. Hoeveel mensen heb je gevraagd? "
        "Zet de aantallen erbij, dan ziet Qredits dat je het echt hebt uitgezocht."
    ),
}
SALON_READY_VERDICTS: Verdicts = {
    **dict.fromkeys(Topic, (Verdict.FINE, "")),
    16: (
        Verdict.ATTENTION,
        "Kijk nog naar een verzekering voor als je ziek wordt. Dat hoeft niet voor de lening.",
    ),
}
SALON_READY_COMMENTS = {
    "": (
        "Heel goed, Fatma! Je eigen inbreng is nu meer dan 30% en je marktonderzoek is "
        "duidelijk. Je plan is klaar voor Qredits. Ik bel je deze week om de aanvraag samen te "
        "doen."
    ),
}
SEWING_VERDICTS: Verdicts = {
    Topic.ENTREPRENEUR: (Verdict.FINE, ""),
    Topic.IDEA: (Verdict.FINE, ""),
    Topic.MARKET: (Verdict.ATTENTION, ""),
    Topic.MARKETING: (
        Verdict.INSUFFICIENT,
        "Schrijf op hoe klanten jou vinden: een briefje bij de buren, de wijkkrant?",
    ),
    Topic.FINANCIAL: (
        Verdict.INSUFFICIENT,
        "De exploitatiebegroting en de liquiditeitsbegroting zijn nog leeg.",
    ),
    Topic.LEGAL: (Verdict.ATTENTION, ""),
    Topic.DOCUMENTS: (Verdict.ATTENTION, "Vraag een offerte voor de naaimachine."),
    6: (Verdict.INSUFFICIENT, "Wie doen hetzelfde als jij? Wat doe jij anders of beter?"),
    9: (
        Verdict.INSUFFICIENT,
        "Je eigen geld is ongeveer 21% van wat je nodig hebt. Qredits vraagt minstens 30%.",
    ),
    14: (Verdict.FINE, ""),
    15: (
        Verdict.ATTENTION,
        "Vraag bij de gemeente of je aan huis een atelier mag hebben.",
    ),
    16: (Verdict.INSUFFICIENT, "Welke verzekeringen heb je nodig? Je mentor helpt je."),
}
SEWING_COMMENTS = {
    "": (
        "Goed begin, Saskia! Je idee is duidelijk en je kent je vak. Voordat je naar Qredits "
        "kunt, moet er nog wat gebeuren. Je eigen geld is nu ongeveer 21% van wat je nodig "
        "hebt; Qredits vraagt minstens 30%. Vul ook de andere begrotingen in. Bel me gerust "
        "als je vragen hebt."
    ),
    "financing": (
        "Je legt zelf € 1.500 in en je leent € 5.500. Dat is te weinig eigen geld: Qredits "
        "vraagt minstens 30%. Kun je meer sparen, of je eigen naaimachine meetellen? En de "
        "financiering moet even groot zijn als de investering (€ 8.000)."
    ),
    "marketing": (
        "Fijn dat je 30 buren hebt gevraagd! Schrijf nu ook op wie je concurrenten zijn en "
        "hoe klanten jou gaan vinden."
    ),
}


def _review(revision, coach, *, outcome, verdicts, comments, started_at, concluded_at):
    """A concluded review of ``revision`` made through the review rules, dated in 2009.

    Saved as a draft through ``save_review`` and then concluded here: concluding through the
    service would queue an e-mail to a demo address and write today's date on the audit trail
    and the stage. ``conclusion_problems`` still guards that nothing was left open.
    """
    review = reviews.start_review(revision=revision, by=coach)
    items = list(review.items.select_related("item"))
    answers = reviews.ReviewAnswers(
        items={
            item.pk: _answer(item, verdicts.get(item.item.position) or verdicts[item.item.topic])
            for item in items
        },
        comments=comments,
        outcome=outcome,
    )
    review = reviews.save_review(
        review=review, answers=answers, version=review.version, by=coach, site=""
    )
    problems = reviews.conclusion_problems(review, answers)
    if problems:
        raise ValueError(f"The demo review leaves points open: {sorted(problems)}")
    Review.objects.filter(pk=review.pk).update(
        status=Review.Status.CONCLUDED, started_at=started_at, concluded_at=concluded_at
    )


def _answer(item, planned) -> reviews.ItemAnswer:
    verdict, comment = planned
    if item.check_status:
        verdict = reviews.suggested_verdict(item.check_status)
    return reviews.ItemAnswer(verdict=verdict, comment=comment)


# --- Referrals, mentors and the benefits route (issue 10) -------------------------------------
# A referral in each status, each under a consent to share recorded with the resident: one sent
# to the KvK and waiting for its answer (kvk@ finds it in her inbox), one taken up by UWV, one
# completed by Lefier, one declined by the bank, one draft. Keyed on the resident: one who has
# referrals already gets none.
S = Referral.Status
D = datetime.date
# (resident's e-mail, partner, status, question, what was shared, dates of the moves, answer)
REFERRALS = [
    (
        SASKIA_EMAIL,
        Partner.Kind.KVK,
        S.SENT,
        "Saskia wil haar naaiatelier inschrijven bij de KvK en zoekt een startersworkshop over "
        "prijzen berekenen. Kan zij in april meedoen?",
        [SharedField.CONTACT, SharedField.BUSINESS_IDEA, SharedField.STAGE],
        {S.CONCEPT: D(2009, 3, 23), S.SENT: D(2009, 3, 24)},
        "",
    ),
    (
        f"mehmet.ozturk@{DEMO_DOMAIN}",
        Partner.Kind.UWV,
        S.IN_PROGRESS,
        "Mehmet heeft een WW-uitkering en wil een Turkse bakkerij beginnen. Wat betekent dat "
        "voor zijn uitkering, en kan hij de startersregeling gebruiken?",
        [SharedField.CONTACT, SharedField.SITUATION, SharedField.BUSINESS_IDEA],
        {S.CONCEPT: D(2009, 2, 27), S.SENT: D(2009, 3, 2), S.IN_PROGRESS: D(2009, 3, 5)},
        "Afspraak met Mehmet op 7 april bij het UWV.",
    ),
    (
        f"rachid@{DEMO_DOMAIN}",
        Partner.Kind.HOUSING,
        S.DONE,
        "Rachid begint een klussenbedrijf voor onderhoud van huurwoningen. Zoekt Lefier "
        "klussers voor kleine reparaties in de Korrewegwijk?",
        [SharedField.CONTACT, SharedField.BUSINESS_IDEA],
        {
            S.CONCEPT: D(2009, 2, 16),
            S.SENT: D(2009, 2, 16),
            S.IN_PROGRESS: D(2009, 2, 18),
            S.DONE: D(2009, 3, 10),
        },
        "Lefier zet Rachid op de lijst van vaste klussers voor kleine reparaties in de "
        "Korrewegwijk. De eerste opdracht volgt in april.",
    ),
    (
        f"janwillem@{DEMO_DOMAIN}",
        Partner.Kind.BANK,
        S.DECLINED,
        "Jan-Willem zoekt een zakelijke rekening met een kleine kredietruimte voor een bakfiets "
        "en gereedschap.",
        [SharedField.CONTACT, SharedField.BUSINESS_IDEA, SharedField.STAGE],
        {S.CONCEPT: D(2009, 3, 3), S.SENT: D(2009, 3, 3), S.DECLINED: D(2009, 3, 9)},
        "Wij geven geen krediet aan starters zonder jaarcijfers. Een zakelijke rekening kan "
        "wel; voor de bakfiets raden wij Qredits aan.",
    ),
    (
        f"priscilla@{DEMO_DOMAIN}",
        Partner.Kind.ACCOUNTANT,
        S.CONCEPT,
        "Priscilla zoekt hulp bij de boekhouding en de btw voor haar cateringbedrijf.",
        [SharedField.CONTACT, SharedField.BUSINESS_IDEA],
        {S.CONCEPT: D(2009, 3, 30)},
        "",
    ),
]
PURPOSE = "Doorverwijzing naar %s"


def _seed_referrals(demo: DemoDesk) -> None:
    coach = demo.users["coach"]
    for email, kind, status, question, fields, moves, answer in REFERRALS:
        resident = Resident.objects.filter(desk=demo.desk, email=email).first()
        if resident is None or resident.referrals.exists():
            continue
        partner = demo.partners[kind]
        by = resident.coach or coach
        first = min(moves.values())
        consent = PartnerConsent.objects.create(
            resident=resident,
            partner=partner,
            purpose=PURPOSE % partner.name,
            fields=[f.value for f in SharedField if f in fields],
            given_on=first,
            valid_until=first + datetime.timedelta(days=364),
            recorded_by=by,
        )
        PartnerConsent.objects.filter(pk=consent.pk).update(recorded_at=_at(first, 10))
        _referral(demo, resident, partner, consent, status, question, moves, answer, by)


def _referral(demo, resident, partner, consent, status, question, moves, answer, by):
    sent = moves.get(S.SENT)
    answered = next((moves[s] for s in (S.IN_PROGRESS, S.DONE, S.DECLINED) if s in moves), None)
    closed = moves.get(S.DONE) or moves.get(S.DECLINED)
    referral = Referral.objects.create(
        resident=resident,
        desk=demo.desk,
        partner=partner,
        # The KvK's referral goes to its contact person, who finds it in her inbox.
        contact=demo.users["kvk"] if partner.kind == Partner.Kind.KVK else None,
        consent=consent,
        question=question,
        status=status,
        outcome=answer if status == S.DONE else "",
        decline_reason=answer if status == S.DECLINED else "",
        created_by=by,
        sent_at=_at(sent, 11) if sent else None,
        answer_due_on=add_working_days(sent, partner.answer_days) if sent else None,
        answered_at=_at(answered, 14) if answered else None,
        closed_at=_at(closed, 14) if closed else None,
    )
    Referral.objects.filter(pk=referral.pk).update(created_at=_at(moves[S.CONCEPT], 10))
    for move, day in moves.items():
        partner_move = move not in (S.CONCEPT, S.SENT)
        event = ReferralEvent.objects.create(
            referral=referral,
            status=move,
            by=None if partner_move else by,
            note=answer if move == status and partner_move else "",
        )
        hour = {S.CONCEPT: 10, S.SENT: 11}.get(move, 14)
        ReferralEvent.objects.filter(pk=event.pk).update(at=_at(day, hour))


# The pool: mostly through the KvK; one takes no new matches.
MENTORS = [
    (
        "Ayşe Kaya",
        "Kapsalons en schoonheidssalons; reclame maken in de wijk",
        "Persoonlijke verzorging",
        "Nederlands, Turks",
        "Twee keer per maand, overdag",
        True,
    ),
    (
        "Wim Hoekstra",
        "Boekhouding, verzekeringen en belastingen voor zzp'ers",
        "Zakelijke dienstverlening",
        "Nederlands, Fries",
        "Maandagmiddag",
        True,
    ),
    (
        "Herman Bosma",
        "Detailhandel: inkoop, presentatie en klantenbinding",
        "Detailhandel",
        "Nederlands, Engels",
        "Dinsdagavond",
        True,
    ),
    (
        "Grietje Dekker",
        "Horeca en catering: vergunningen, hygiëne en inkoop",
        "Horeca",
        "Nederlands, Engels, Duits",
        "Op dit moment vol",
        False,
    ),
]
# (resident, mentor, started on, what the mentor helps with, meetings: (day, notes))
MATCHES = [
    (
        FATMA_EMAIL,
        "Ayşe Kaya",
        D(2009, 2, 16),
        "Reclame maken voor de opening van de salon",
        [
            (D(2009, 2, 24), "Kennismaking. Folder en advertentie in de wijkkrant besproken."),
            (
                D(2009, 3, 17),
                "Openingsactie uitgewerkt: stempelkaart en 10% korting in de eerste maand.",
            ),
        ],
    ),
    (
        SASKIA_EMAIL,
        "Wim Hoekstra",
        D(2009, 3, 20),
        "Welke verzekeringen en hoe de boekhouding op te zetten",
        [(D(2009, 3, 26), "Verzekeringen voor werken aan huis doorgenomen.")],
    ),
]


def _seed_mentors(demo: DemoDesk) -> None:
    kvk = demo.partners[Partner.Kind.KVK]
    pool = {}
    for name, expertise, sector, languages, availability, active in MENTORS:
        pool[name], _created = Mentor.objects.get_or_create(
            desk=demo.desk,
            name=name,
            defaults={
                "partner": kvk,
                "expertise": expertise,
                "sector": sector,
                "languages": languages,
                "availability": availability,
                "is_active": active,
            },
        )
    for email, mentor, started_on, goal, meetings in MATCHES:
        resident = Resident.objects.filter(desk=demo.desk, email=email).first()
        if resident is None or resident.mentor_matches.exists():
            continue
        by = resident.coach or demo.users["coach"]
        match = MentorMatch.objects.create(
            resident=resident, mentor=pool[mentor], matched_by=by, started_on=started_on, goal=goal
        )
        for day, notes in meetings:
            meeting = MentorMeeting.objects.create(
                match=match, held_on=day, notes=notes, recorded_by=by
            )
            MentorMeeting.objects.filter(pk=meeting.pk).update(recorded_at=_at(day, 17))


def _seed_benefits(demo: DemoDesk) -> None:
    """Priscilla (bijstand) had her consultation with the municipality: the Bbz start-up
    credit. The others on WW or bijstand (Fatma among them) still see the warning."""
    resident = Resident.objects.filter(desk=demo.desk, email=f"priscilla@{DEMO_DOMAIN}").first()
    if resident is None or resident.benefits_consultations.exists():
        return
    day = D(2009, 3, 17)
    consultation = BenefitsConsultation.objects.create(
        resident=resident,
        desk=demo.desk,
        held_on=day,
        with_whom=BenefitsConsultation.With.MUNICIPALITY,
        partner=demo.partners[Partner.Kind.MUNICIPALITY],
        outcome=BenefitsConsultation.Outcome.BBZ_CREDIT,
        note="Bbz-starterskrediet aangevraagd; de gemeente leest het ondernemingsplan mee.",
        recorded_by=resident.coach or demo.users["coach"],
    )
    BenefitsConsultation.objects.filter(pk=consultation.pk).update(recorded_at=_at(day, 16))
