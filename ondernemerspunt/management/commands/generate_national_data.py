"""Fill a database with a national-scale installation, to measure the progress dashboard.

Default: 100 desks, 100,000 residents, 1,000,000 conversations and the stage history that goes
with them (about 290,000 stage changes), over the years 2007–2009. ``--scale`` multiplies
every number, so a test can run the same code on a handful of rows.

Rows are written with PostgreSQL's COPY in batches; every column a row does not name gets the
model field's default, so a field added later does not break the generator. Conversations are
written in date order across all desks, as they would arrive in real life, so one desk's rows
lie scattered through the table and a benchmark cannot profit from an unrealistic layout.

Never run this against a database that holds real residents: it is for a separate benchmark
database (see docs/performance.md).
"""

import datetime
import io
import random
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from intake.models import (
    Conversation,
    DropOutReason,
    Resident,
    Situation,
    Source,
    Stage,
    StageChange,
    SupportNeed,
    fold_for_search,
)
from ondernemerspunt.models import Desk, Membership, Neighbourhood, Partner, Role, User, YearTarget

SLUG_PREFIX = "land-"
FIRST_DAY = datetime.date(2007, 1, 1)
LAST_DAY = datetime.date(2009, 12, 31)
BATCH = 100_000

FIRST_NAMES = [
    "Anna",
    "Mohamed",
    "Fatma",
    "Jan",
    "Sanne",
    "Yusuf",
    "Priya",
    "Kees",
    "Lotte",
    "Ahmed",
    "Noor",
    "Pieter",
    "Ayse",
    "Daan",
    "Mila",
    "Rachid",
    "Eva",
    "Tom",
]
LAST_NAMES = [
    "de Vries",
    "Jansen",
    "Yilmaz",
    "Bakker",
    "El Idrissi",
    "Visser",
    "Smit",
    "Kaya",
    "Meijer",
    "de Boer",
    "Mulder",
    "Öztürk",
    "Bos",
    "Vos",
    "Peters",
]
IDEAS = [
    "Kapsalon",
    "Schoonmaakbedrijf",
    "Catering",
    "Fietsenmaker",
    "Webwinkel kleding",
    "Klusbedrijf",
    "Naaiatelier",
    "Administratiekantoor",
    "Koeriersdienst",
    "Fotostudio",
]
NOTES = [
    "Idee besproken, marktonderzoek nog te doen. Afspraak gemaakt voor een vervolggesprek.",
    "Begroting doorgenomen; eigen middelen zijn nog onduidelijk. Contact met UWV afgesproken.",
    "Ondernemingsplan hoofdstuk marketing besproken, concurrentie in de wijk in kaart brengen.",
    "Telefonisch contact: stukken voor Qredits bijna compleet, nog een offerte nodig.",
    "Nazorg: eerste maanden lopen goed, boekhouding op orde, volgende afspraak over drie maanden.",
    "",
]
# Chance of moving on from a stage, the days it takes, and the chance of stopping instead.
STEPS = [
    (Stage.REGISTERED, Stage.INTAKE, 0.85, (3, 21), 0.08),
    (Stage.INTAKE, Stage.IN_TRAJECTORY, 0.70, (7, 42), 0.15),
    (Stage.IN_TRAJECTORY, Stage.SUBMITTED, 0.45, (30, 150), 0.30),
    (Stage.SUBMITTED, Stage.FINANCED, 0.70, (14, 45), 0.0),
    (Stage.FINANCED, Stage.STARTED, 0.92, (10, 60), 0.05),
    (Stage.STARTED, Stage.AFTERCARE, 0.60, (20, 90), 0.0),
]
# How many conversations a resident gets, relative to how far they came.
WEIGHT = {
    Stage.REGISTERED: 0,
    Stage.INTAKE: 2,
    Stage.IN_TRAJECTORY: 8,
    Stage.SUBMITTED: 12,
    Stage.FINANCED: 14,
    Stage.DECLINED: 12,
    Stage.STARTED: 16,
    Stage.AFTERCARE: 20,
}


class Command(BaseCommand):
    help = "Generate desks, residents, stage history and conversations in bulk (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("--desks", type=int, default=100)
        parser.add_argument("--residents", type=int, default=100_000)
        parser.add_argument("--conversations", type=int, default=1_000_000)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply every number (0.001 for a test)."
        )
        parser.add_argument("--seed", type=int, default=2009)

    def handle(self, *args, **options):
        scale = options["scale"]
        if scale <= 0:
            raise CommandError("--scale must be more than 0.")
        n_desks = max(2, round(options["desks"] * scale))
        n_residents = max(n_desks, round(options["residents"] * scale))
        n_conversations = max(n_residents, round(options["conversations"] * scale))
        if Desk.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            raise CommandError(
                f"This database already has generated desks ({SLUG_PREFIX}…). "
                "Use a fresh database for a new run."
            )
        rng = random.Random(options["seed"])
        started = time.perf_counter()
        with transaction.atomic():
            desks = self.make_desks(n_desks)
            self.say(f"{len(desks)} desks", started)
            residents = self.make_residents(rng, desks, n_residents)
            self.say(f"{len(residents)} residents", started)
            changes = self.make_stage_changes(rng, desks, residents)
            self.say(f"{changes} stage changes", started)
            conversations = self.make_conversations(rng, desks, residents, n_conversations)
            self.say(f"{conversations} conversations", started)
        with connection.cursor() as cursor:
            for model in (Resident, StageChange, Conversation):
                cursor.execute(f"ANALYZE {model._meta.db_table}")  # noqa: S608
        self.say("analysed; done", started)

    def say(self, what, started):
        self.stdout.write(f"{time.perf_counter() - started:7.1f} s  {what}")

    # --- Desks and their people (a few hundred rows: the ORM is fast enough) ---------------

    def make_desks(self, n):
        desks = Desk.objects.bulk_create(
            Desk(
                slug=f"{SLUG_PREFIX}{i:03d}",
                name=f"Ondernemerspunt Land {i:03d}",
                city=f"Stad {i:03d}",
            )
            for i in range(1, n + 1)
        )
        Neighbourhood.objects.bulk_create(
            Neighbourhood(
                desk=desk,
                name=f"Wijk {w}",
                postcode_from=f"{1000 + w}AA",
                postcode_to=f"{1000 + w}ZZ",
            )
            for desk in desks
            for w in range(1, 4)
        )
        YearTarget.objects.bulk_create(
            YearTarget(desk=desk, year=year, participants=50)
            for desk in desks
            for year in range(FIRST_DAY.year, LAST_DAY.year + 1)
        )
        Partner.objects.bulk_create(
            Partner(desk=desk, name=name, kind=kind)
            for desk in desks
            for name, kind in (("UWV", Partner.Kind.UWV), ("KvK", Partner.Kind.KVK))
        )
        unusable = make_password(None)
        users = User.objects.bulk_create(
            User(
                email=f"{role}@{desk.slug}.example",
                full_name=f"{role} {desk.slug}",
                password=unusable,
            )
            for desk in desks
            for role in ("coach", "projectgroep")
        )
        Membership.objects.bulk_create(
            Membership(
                user=user,
                desk=desks[i // 2],
                role=Role.COACH if i % 2 == 0 else Role.PROJECT_GROUP,
            )
            for i, user in enumerate(users)
        )
        self.coach = {desks[i // 2].pk: user.pk for i, user in enumerate(users) if i % 2 == 0}
        self.neighbourhoods = {}
        for n in Neighbourhood.objects.filter(desk__in=desks):
            self.neighbourhoods.setdefault(n.desk_id, []).append(n.pk)
        self.partners = {}
        for p in Partner.objects.filter(desk__in=desks):
            self.partners.setdefault(p.desk_id, []).append(p.pk)
        return desks

    # --- Residents -----------------------------------------------------------------------------

    def make_residents(self, rng, desks, n):
        first_id = next_id(Resident)
        residents = []
        rows = []
        now = timezone.now()
        span = (LAST_DAY - FIRST_DAY).days
        for i in range(n):
            desk = desks[i % len(desks)]
            pk = first_id + i
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            source = rng.choice(Source.values)
            registered_on = FIRST_DAY + datetime.timedelta(days=rng.randrange(span))
            residents.append([pk, desk.pk, registered_on, Stage.REGISTERED])
            rows.append(
                {
                    "id": pk,
                    "desk_id": desk.pk,
                    "coach_id": self.coach[desk.pk],
                    "first_name": first,
                    "last_name": last,
                    "email": f"bewoner{pk}@example.test",
                    "phone": f"06{pk:08d}"[-10:],
                    "postcode": "1001 AB",
                    "city": desk.city,
                    "neighbourhood_id": rng.choice(self.neighbourhoods[desk.pk] + [None]),
                    "date_of_birth": datetime.date(1950 + rng.randrange(40), 1 + i % 12, 1),
                    "situation": rng.choice(Situation.values),
                    "business_idea": rng.choice(IDEAS),
                    "source": source,
                    "source_partner_id": (
                        rng.choice(self.partners[desk.pk]) if source == Source.PARTNER else None
                    ),
                    "registered_on": registered_on,
                    "search_text": fold_for_search(f"{first} {last} bewoner{pk}@example.test"),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        copy_rows(Resident, rows)
        return residents

    # --- Stage history: every resident walks the trajectory as far as chance takes them -------

    def make_stage_changes(self, rng, desks, residents):
        first_id = next_id(StageChange)
        rows = []
        now = timezone.now()
        for resident in residents:
            pk, desk_id, day, _stage = resident
            history = [("", Stage.REGISTERED, day, "")]
            for from_stage, to_stage, chance, (low, high), stop in STEPS:
                day = day + datetime.timedelta(days=rng.randint(low, high))
                if day > LAST_DAY:
                    break
                roll = rng.random()
                if roll < stop:
                    history.append(
                        (from_stage, Stage.DROPPED_OUT, day, rng.choice(DropOutReason.values))
                    )
                    break
                if roll > stop + chance * (1 - stop):
                    if to_stage == Stage.FINANCED:
                        history.append((from_stage, Stage.DECLINED, day, ""))
                    break
                history.append((from_stage, to_stage, day, ""))
            for from_stage, to_stage, changed_on, reason in history:
                rows.append(
                    {
                        "id": first_id + len(rows),
                        "resident_id": pk,
                        "desk_id": desk_id,
                        "from_stage": from_stage,
                        "to_stage": to_stage,
                        "changed_on": changed_on,
                        "changed_by_id": self.coach[desk_id],
                        "reason": reason,
                        "recorded_at": now,
                    }
                )
            # Remember how far they came and until when, for their conversations.
            resident[3] = history[-1][1]
            intake = [on for _f, to, on, _r in history if to == Stage.INTAKE]
            resident.append(intake[0] if intake else None)
            resident.append(history[-1][2])
        copy_rows(StageChange, rows)
        stages = {}
        for pk, _desk, _day, stage, *_dates in residents:
            stages.setdefault(stage, []).append(pk)
        with connection.cursor() as cursor:
            for stage, pks in stages.items():
                cursor.execute(
                    f"UPDATE {Resident._meta.db_table} SET stage = %s WHERE id = ANY(%s)",  # noqa: S608
                    [stage, pks],
                )
        return len(rows)

    # --- Conversations ------------------------------------------------------------------------

    def make_conversations(self, rng, desks, residents, n):
        weights = []
        for _pk, _desk, _day, stage, intake_on, _last_on in residents:
            reached = stage if stage in WEIGHT else Stage.INTAKE
            weights.append(WEIGHT[reached] if intake_on else 0)
        # Exactly n conversations: each resident's share rounded down, the rest handed out to
        # the largest remainders.
        total = sum(weights) or 1
        quotas = [n * w / total for w in weights]
        counts = [int(q) for q in quotas]
        by_remainder = sorted(range(len(quotas)), key=lambda i: counts[i] - quotas[i])
        for i in by_remainder[: n - sum(counts)]:
            counts[i] += 1
        plan = []
        for resident, count in zip(residents, counts, strict=True):
            pk, desk_id, _day, _stage, intake_on, last_on = resident
            if not count:
                continue
            end = min(last_on + datetime.timedelta(days=120), LAST_DAY)
            span = max((end - intake_on).days, 1)
            plan.append((intake_on, pk, desk_id, Conversation.Kind.INTAKE))
            for _ in range(count - 1):
                day = intake_on + datetime.timedelta(days=1 + rng.randrange(span))
                plan.append((min(day, LAST_DAY), pk, desk_id, Conversation.Kind.FOLLOW_UP))
        plan.sort()  # in date order across all desks, as they would have been recorded
        first_id = next_id(Conversation)
        needs = SupportNeed.values
        channels = Conversation.Channel.values
        written = 0
        for start in range(0, len(plan), BATCH):
            rows = []
            for offset, (day, pk, desk_id, kind) in enumerate(plan[start : start + BATCH]):
                rows.append(
                    {
                        "id": first_id + start + offset,
                        "resident_id": pk,
                        "desk_id": desk_id,
                        "kind": kind,
                        "held_on": day,
                        "coach_id": self.coach[desk_id],
                        "channel": rng.choice(channels),
                        "duration_minutes": rng.choice((30, 45, 60, 90)),
                        "notes": rng.choice(NOTES),
                        "support_needs": rng.sample(needs, rng.randint(0, 3)),
                        "created_at": datetime.datetime.combine(
                            day, datetime.time(12), tzinfo=datetime.UTC
                        ),
                    }
                )
            copy_rows(Conversation, rows)
            written += len(rows)
        return written


def next_id(model) -> int:
    """The first free id; the sequence is moved past what ``copy_rows`` writes."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0]


def copy_rows(model, rows: list[dict]) -> None:
    """COPY ``rows`` into the model's table; a column a row does not name gets its default."""
    if not rows:
        return
    fields = list(model._meta.concrete_fields)
    columns = [f.column for f in fields]
    defaults = {}
    for f in fields:
        if f.column in rows[0]:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.column] = timezone.now()
        else:
            defaults[f.column] = f.get_default()
    buffer = io.StringIO()
    for row in rows:
        values = (row[c] if c in row else defaults[c] for c in columns)
        buffer.write("\t".join(copy_text(v) for v in values))
        buffer.write("\n")
    buffer.seek(0)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN",
            buffer,  # noqa: S608
        )
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))",  # noqa: S608
            [table],
        )


def copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list):
        return "{" + ",".join(copy_text(v) for v in value) + "}"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
