"""The Qredits pack (issue 11, coaching/packs.py, coaching/views/packs.py): one PDF with the plan,
its figures, the loans' schedules and the review; numbered versions of which a sent one is never
written again; hostile plan text shown as text without any request leaving the server; a render
whose worker died is run again, and given up on in the end; the pages only for the resident's
desk.

The pages' own words are not asserted (their Dutch comes with the catalogue): the page's state
is read from its data-status attribute, its forms and its refresh.
"""

import copy
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from coaching import packs
from coaching.applications import ApplicationRefused, set_enclosure, update_application
from coaching.budgets import loan_schedule
from coaching.demo import SALON
from coaching.models import ApplicationPack, Enclosure, LoanApplication, Review, ReviewItem
from coaching.models.plans import Verdict
from coaching.templatetags import plan as plan_tags
from intake.models import Stage
from ondernemerspunt import pdf as pdf_module
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import audit_text
from ondernemerspunt.worker import requeue_stale_tasks
from tests.coaching.applications import make_application, ready_plan
from tests.factories import make_review, make_revision
from tests.ondernemerspunt.test_worker import killed_while_running

HOSTILE = '<img src="http://example.invalid/x.png"> <script>alert("x")</script> Ik bak brood.'


def euro(value) -> str:
    """An amount as the pack's extracted text has it (its whitespace collapsed, as pdf_text's:
    the no-break space after "€" reads as a space)."""
    return " ".join(plan_tags.euro(value).split())


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def salon(**changes):
    sections = copy.deepcopy(SALON)
    for key, values in changes.items():
        sections[key].update(values)
    return sections


def application_with_verdicts(cast, sections=None):
    """An application of the salon plan whose review said *in orde* of every point and
    *aandachtspunt*, with a comment, of the first."""
    plan = ready_plan(cast, sections or salon())
    application = make_application(cast, plan=plan, amount=Decimal("18000.00"))
    review = application.review
    items = list(ReviewItem.objects.filter(review=review).order_by("item__position"))
    assert items, "the desk's checklist gives the review its points"
    ReviewItem.objects.filter(review=review).update(verdict=Verdict.FINE)
    ReviewItem.objects.filter(pk=items[0].pk).update(
        verdict=Verdict.ATTENTION, comment="Kijk nog eens naar de huur."
    )
    return application


def render(pack):
    packs.render_pack.call(pack.pk)
    pack.refresh_from_db()
    return pack


def job_of(pack):
    return DBTaskResult.objects.get(task_path__endswith="render_pack", args_kwargs__args=[pack.pk])


# --- What the pack holds ----------------------------------------------------------------------
def test_the_pack_holds_the_figures_a_schedule_row_and_the_verdicts(cast):
    application = application_with_verdicts(cast)
    Enclosure.objects.filter(application=application, kind=Enclosure.Kind.KVK_EXTRACT).update(
        status=Enclosure.Status.PRESENT
    )
    pack = render(packs.request_pack(application, cast.coach))
    assert pack.status == ApplicationPack.Status.READY
    assert pack.pages >= 8
    assert pack.rendered_at is not None
    assert len(PdfReader(io.BytesIO(bytes(pack.pdf))).pages) == pack.pages
    text = pdf_text(bytes(pack.pdf))
    figures = application.review.revision.figures
    first = loan_schedule(Decimal("18000.00"), Decimal("9.00"), 60)[0]
    with translation.override(settings.LANGUAGE_CODE):
        assert euro(Decimal("18000.00")) in text  # the amount requested
        assert euro(figures.investment.total) in text  # a budget's total
        assert euro(figures.financing.total) in text
        row = " ".join(euro(v) for v in (first.payment, first.interest, first.repayment))
        assert row in text  # month 1 of the Qredits loan's schedule
        assert euro(first.balance) in text
    assert "Rana Bewoner" in text
    assert "Ondernemerspunt Noord" in text
    assert "in orde" in text and "aandachtspunt" in text  # the review's verdicts, in Dutch
    assert "Kijk nog eens naar de huur." in text
    assert "Oven en inrichting" in text  # the purpose
    assert SALON["entrepreneur"]["education"].split(".")[0] in text  # the plan's text
    assert "aanwezig" in text  # the enclosures' status


def test_the_pack_is_dated_the_day_it_was_asked_for_and_warns_of_a_request_off_the_plan(cast):
    application = application_with_verdicts(cast)  # the salon's loan: € 18.000, 60 months
    LoanApplication.objects.filter(pk=application.pk).update(repayment_free_months=3)
    pack = packs.request_pack(application, cast.coach)
    asked = timezone.make_aware(timezone.datetime(2009, 3, 30, 10))
    ApplicationPack.objects.filter(pk=pack.pk).update(requested_at=asked)
    pack = render(pack)
    pages = [
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(bytes(pack.pdf))).pages
    ]
    assert "30 maart 2009" in pages[0] and "30 maart 2009" in pages[2]
    with translation.override("nl"):
        today = date_format(timezone.localdate(), "j F Y")
    assert today not in pages[0] and today not in pages[2][:80]  # the cover and the header
    summary = next(text for text in pages if "Key figures" in text or "Kerncijfers" in text)
    assert "€ 18.000,00" in summary and re.search(r"\b3 (requested|gevraagd)", summary)


def test_the_pack_has_contents_with_page_numbers_and_a_running_header(cast):
    application = application_with_verdicts(cast)
    pack = render(packs.request_pack(application, cast.coach))
    reader = PdfReader(io.BytesIO(bytes(pack.pdf)))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    last = len(pages)

    def footer(number):  # "pagina 2 van 17", or in English until the catalogue has it
        return re.search(rf"\b{number} (van|of) {last}\b", pages[number - 1])

    assert footer(2) and footer(last)
    assert not footer(1)  # neither footer nor header on the cover
    assert "1 december" not in pages[0].split("Ondernemerspunt Noord", 1)[0]
    assert pages[2].count("Ondernemerspunt Noord") >= 1  # the header
    # The contents (page 2) give each chapter the page it starts on: the review's page too.
    review_page = next(n for n, text in enumerate(pages, 1) if "Kijk nog eens naar" in text)
    assert re.search(rf"\.{{5,}} {review_page}\b", pages[1])


def test_hostile_plan_text_is_shown_as_text_and_nothing_is_fetched_from_outside(cast, monkeypatch):
    sections = salon(entrepreneur={"motivation": HOSTILE}, business={"description": HOSTILE})
    application = application_with_verdicts(cast, sections)
    asked = []
    real = pdf_module.static_only_fetcher()

    class Recording(type(real)):
        def fetch(self, url, headers=None):
            asked.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(packs, "static_only_fetcher", Recording)
    LoanApplication.objects.filter(pk=application.pk).update(recommendation=HOSTILE)
    pack = render(packs.request_pack(application, cast.coach))
    assert pack.status == ApplicationPack.Status.READY
    assert asked, "the stylesheet is fetched through our fetcher"
    assert all(url.startswith(f"{pdf_module.BASE_URL}static/") for url in asked), asked
    assert not any("example.invalid" in url for url in asked)
    text = pdf_text(bytes(pack.pdf))
    assert '<img src="http://example.invalid/x.png">' in text
    assert '<script>alert("x")</script>' in text
    html = packs.pack_html(pack)
    assert "<script>" not in html and '<img src="http' not in html


# --- Refused ----------------------------------------------------------------------------------
def test_a_pack_for_a_plan_that_is_not_ready_is_refused(cast, client_for):
    application = make_application(cast)
    make_revision(application.plan, by=cast.resident_user)  # handed in again since the review
    with pytest.raises(ApplicationRefused):
        packs.request_pack(application, cast.coach)
    response = client_for("coach").post(reverse("coaching:pack_new", args=[application.pk]))
    assert response.status_code == 302
    assert not ApplicationPack.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_decided_application_gets_no_pack(cast):
    application = make_application(cast)
    LoanApplication.objects.filter(pk=application.pk).update(status=LoanApplication.Status.DECLINED)
    with pytest.raises(ApplicationRefused):
        packs.request_pack(application, cast.coach)
    assert not ApplicationPack.objects.exists()


# --- Versions ---------------------------------------------------------------------------------
def test_versions_are_numbered_one_at_a_time_and_a_sent_one_is_never_overwritten(cast):
    application = make_application(cast)
    first = packs.request_pack(application, cast.coach)
    assert first.number == 1
    with pytest.raises(packs.PackPending) as pending:
        packs.request_pack(application, cast.coach)  # a double click: no second one
    assert pending.value.pack == first
    assert ApplicationPack.objects.count() == 1
    render(first)
    second = render(packs.request_pack(application, cast.coach))
    assert second.number == 2
    packs.mark_sent(second, cast.coach)
    second.refresh_from_db()
    kept = (bytes(second.pdf), second.rendered_at, second.sent_at)
    assert second.sent_at is not None
    packs.render_pack.call(second.pk)  # a job run again does not touch a sent version
    second.refresh_from_db()
    assert (bytes(second.pdf), second.rendered_at, second.sent_at) == kept
    third = packs.request_pack(application, cast.coach)
    assert third.number == 3
    assert list(ApplicationPack.objects.order_by("number").values_list("number", flat=True)) == [
        1,
        2,
        3,
    ]


def test_running_the_task_twice_keeps_the_ready_version(cast):
    pack = render(packs.request_pack(make_application(cast), cast.coach))
    first = (bytes(pack.pdf), pack.rendered_at, pack.pages)
    render(pack)
    assert (bytes(pack.pdf), pack.rendered_at, pack.pages) == first


def test_marking_sent_submits_the_application_and_moves_the_stage_once(cast, client_for):
    application = make_application(cast)
    cast.resident.__class__.objects.filter(pk=cast.resident.pk).update(stage=Stage.IN_TRAJECTORY)
    pack = render(packs.request_pack(application, cast.coach))
    client = client_for("coach")
    url = reverse("coaching:pack_sent", args=[pack.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # idempotent
    pack.refresh_from_db()
    application.refresh_from_db()
    cast.resident.refresh_from_db()
    assert pack.sent_at is not None
    assert application.status == LoanApplication.Status.SUBMITTED
    assert application.submitted_on == timezone.localdate()
    assert cast.resident.stage == Stage.SUBMITTED
    assert cast.resident.stage_changes.filter(to_stage=Stage.SUBMITTED).count() == 1


def test_a_version_not_ready_cannot_be_marked_sent(cast, client_for):
    pack = packs.request_pack(make_application(cast), cast.coach)
    client_for("coach").post(reverse("coaching:pack_sent", args=[pack.pk]))
    pack.refresh_from_db()
    assert pack.sent_at is None


# --- A worker that dies -----------------------------------------------------------------------
def test_a_killed_render_is_run_again(cast, run_queued_tasks):
    pack = packs.request_pack(make_application(cast), cast.coach)
    job = job_of(pack)
    ApplicationPack.objects.filter(pk=pack.pk).update(status=ApplicationPack.Status.RENDERING)
    killed_while_running(job, "gestorven")  # its worker died halfway through WeasyPrint
    requeue_stale_tasks(backend_name="default")
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY  # queued again for the next worker
    run_queued_tasks()
    pack.refresh_from_db()
    assert pack.status == ApplicationPack.Status.READY
    assert pack.pdf


def test_after_the_last_attempt_the_pack_fails_and_the_page_says_so(cast, client_for):
    pack = packs.request_pack(make_application(cast), cast.coach)
    ApplicationPack.objects.filter(pk=pack.pk).update(status=ApplicationPack.Status.RENDERING)
    job = job_of(pack)
    killed_while_running(job, "een", "twee", "drie")
    requeue_stale_tasks(backend_name="default")
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    pack.refresh_from_db()
    assert pack.status == ApplicationPack.Status.FAILED
    page = client_for("coach").get(reverse("coaching:pack_status", args=[pack.pk]))
    html = page.content.decode()
    assert 'data-status="failed"' in html
    assert 'http-equiv="refresh"' not in html  # never "being made" for ever
    assert reverse("coaching:pack_new", args=[pack.application_id]) in html  # try again
    assert str(ApplicationPack.Status.FAILED.label) in html or "mislukt" in html


def test_a_render_that_fails_marks_the_version_failed(cast, monkeypatch):
    pack = packs.request_pack(make_application(cast), cast.coach)

    def broken(pack):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr(packs, "pack_html", broken)
    with pytest.raises(RuntimeError):
        packs.render_pack.call(pack.pk)
    pack.refresh_from_db()
    assert pack.status == ApplicationPack.Status.FAILED
    # Trying again makes the next version.
    assert packs.request_pack(pack.application, cast.coach).number == 2


# --- The pages --------------------------------------------------------------------------------
def test_the_status_page_refreshes_while_queued_and_not_when_ready(cast, client_for):
    application = make_application(cast)
    client = client_for("coach")
    response = client.post(reverse("coaching:pack_new", args=[application.pk]))
    pack = ApplicationPack.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:pack_status", args=[pack.pk])
    url = reverse("coaching:pack_status", args=[pack.pk])
    html = client.get(url).content.decode()
    assert 'data-status="queued"' in html
    assert '<meta http-equiv="refresh"' in html
    assert 'role="status" aria-live="polite"' in html
    assert reverse("coaching:pack_pdf", args=[pack.pk]) not in html
    assert client.get(reverse("coaching:pack_pdf", args=[pack.pk])).status_code == 404
    render(pack)
    html = client.get(url).content.decode()
    assert 'data-status="ready"' in html
    assert 'http-equiv="refresh"' not in html
    assert reverse("coaching:pack_pdf", args=[pack.pk]) in html
    assert reverse("coaching:pack_sent", args=[pack.pk]) in html


def test_asking_again_while_one_is_being_made_shows_that_one(cast, client_for):
    application = make_application(cast)
    client = client_for("coach")
    client.post(reverse("coaching:pack_new", args=[application.pk]))
    pack = ApplicationPack.objects.get()
    response = client.post(reverse("coaching:pack_new", args=[application.pk]))
    assert response["Location"] == reverse("coaching:pack_status", args=[pack.pk])
    assert ApplicationPack.objects.count() == 1


def test_the_pdf_is_an_attachment_with_a_version_name_and_an_audit_line(cast, client_for):
    pack = render(packs.request_pack(make_application(cast), cast.coach))
    before = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORTED).count()
    response = client_for("coordinator").get(reverse("coaching:pack_pdf", args=[pack.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = f"qredits-aanvraag-{pack.application_id}-v1.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.content == bytes(pack.pdf)
    exported = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORTED)
    assert exported.count() == before + 1
    assert exported.latest("at").resident_id == cast.resident.pk


@pytest.mark.parametrize("role", ["other_coach", "project_group", "partner"])
def test_other_desks_and_the_project_group_get_404(cast, client_for, role):
    application = make_application(cast)
    pack = render(packs.request_pack(application, cast.coach))
    client = client_for(role)
    assert client.get(reverse("coaching:pack_status", args=[pack.pk])).status_code == 404
    assert client.get(reverse("coaching:pack_pdf", args=[pack.pk])).status_code == 404
    assert client.post(reverse("coaching:pack_new", args=[application.pk])).status_code == 404
    assert client.post(reverse("coaching:pack_sent", args=[pack.pk])).status_code == 404
    pack.refresh_from_db()
    assert pack.sent_at is None
    assert ApplicationPack.objects.count() == 1
    # The desk's own coach does get them.
    own = client_for("coach")
    assert own.get(reverse("coaching:pack_status", args=[pack.pk])).status_code == 200
    assert own.get(reverse("coaching:pack_pdf", args=[pack.pk])).status_code == 200


def test_pack_new_takes_only_a_post(cast, client_for):
    application = make_application(cast)
    response = client_for("coach").get(reverse("coaching:pack_new", args=[application.pk]))
    assert response.status_code == 405
    assert not ApplicationPack.objects.exists()


def test_the_review_used_is_the_concluded_ready_one(cast):
    application = make_application(cast)
    assert application.review.status == Review.Status.CONCLUDED
    context = packs.pack_context(packs.request_pack(application, cast.coach))
    assert context["review"] == application.review
    assert context["revision"] == application.review.revision


def newer_version_found_ready(cast, plan):
    revision = make_revision(plan, by=cast.resident_user)
    return make_review(
        revision,
        coach=cast.coach,
        status=Review.Status.CONCLUDED,
        outcome=Review.Outcome.READY,
        concluded_at=timezone.now(),
    )


def test_a_pack_is_made_from_the_newest_version_found_ready(cast, client_for):
    application = make_application(cast)
    newer = newer_version_found_ready(cast, application.plan)
    page = client_for("coach").get(reverse("coaching:application_detail", args=[application.pk]))
    assert 'id="newer-ready"' in page.content.decode()
    pack = render(packs.request_pack(application, cast.coach))
    application.refresh_from_db()
    assert application.review == newer  # the application follows the plan found ready
    assert packs.pack_context(pack)["revision"] == newer.revision
    assert f"Beoordeelde versie {newer.revision.number}" in pdf_text(bytes(pack.pdf))
    moved = audit_text(
        gettext_lazy("Qredits application now built on version %(number)s of the plan"),
        {"number": newer.revision.number},
    )
    assert AuditEntry.objects.filter(resident_id=cast.resident.pk, what=moved).exists()
    page = client_for("coach").get(reverse("coaching:application_detail", args=[application.pk]))
    assert 'id="newer-ready"' not in page.content.decode()


def test_only_the_newest_version_is_sent(cast, client_for):
    application = make_application(cast)
    first = render(packs.request_pack(application, cast.coach))
    second = render(packs.request_pack(application, cast.coach))
    response = client_for("coach").post(reverse("coaching:pack_sent", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.sent_at is None
    application.refresh_from_db()
    assert application.status == LoanApplication.Status.DRAFT
    with pytest.raises(ApplicationRefused, match="2"):
        packs.mark_sent(first, cast.coach)
    packs.mark_sent(second, cast.coach)
    assert second.sent_at is not None


def test_a_version_from_before_a_newer_plan_was_found_ready_is_not_sent(cast, client_for):
    application = make_application(cast)
    pack = render(packs.request_pack(application, cast.coach))
    newer_version_found_ready(cast, application.plan)
    page = client_for("coach").get(reverse("coaching:pack_status", args=[pack.pk]))
    page = page.content.decode()
    assert 'id="pack-not-current"' in page  # said before the click, with the way out
    assert reverse("coaching:pack_sent", args=[pack.pk]) not in page
    with pytest.raises(ApplicationRefused):
        packs.mark_sent(pack, cast.coach)
    fresh = render(packs.request_pack(application, cast.coach))
    packs.mark_sent(fresh, cast.coach)
    assert fresh.sent_at is not None


@pytest.mark.parametrize("change", ["request", "document"])
def test_a_version_made_before_a_change_is_not_sent(cast, change):
    application = make_application(cast)
    pack = render(packs.request_pack(application, cast.coach))
    if change == "request":
        update_application(
            application=application,
            version=application.version,
            values={
                "amount": Decimal("12000.00"),
                "purpose": application.purpose,
                "term_months": 48,
                "repayment_free_months": 0,
                "recommendation": "",
            },
            by=cast.coach,
        )
    else:
        enclosure = application.enclosures.get(kind="quotes")
        set_enclosure(enclosure=enclosure, status="not_needed", note="Geen", by=cast.coach)
    with translation.override("en"), pytest.raises(ApplicationRefused, match="new version"):
        packs.mark_sent(pack, cast.coach)
    pack.refresh_from_db()
    assert pack.sent_at is None
    fresh = render(packs.request_pack(application, cast.coach))
    packs.mark_sent(fresh, cast.coach)
    assert fresh.sent_at is not None


# --- Layout (review findings 4 and 5) ---------------------------------------------------------
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "caption"}


def _last_text(box, inside=False):
    """The last text of a box, and whether it is in a heading."""
    last = None
    element = getattr(box, "element", None)
    classes = (element.get("class") or "") if element is not None else ""
    inside = inside or getattr(box, "element_tag", None) in HEADINGS or "h5" in classes.split()
    if getattr(box, "text", "").strip():
        last = (inside, box.text)
    for child in getattr(box, "children", []):
        last = _last_text(child, inside) or last
    return last


def stranded_headings(pack):
    from weasyprint import HTML

    document = HTML(
        string=packs.pack_html(pack),
        base_url=pdf_module.BASE_URL,
        url_fetcher=pdf_module.static_only_fetcher(),
    ).render()
    found = []
    for number, page in enumerate(document.pages, 1):
        last = _last_text(page._page_box.children[0])
        if last and last[0]:
            found.append((number, last[1]))
    return found


def test_no_heading_is_left_at_the_foot_of_a_page(cast):
    application = application_with_verdicts(cast)
    pack = packs.request_pack(application, cast.coach)
    assert stranded_headings(pack) == []


def test_a_long_file_name_wraps_in_the_enclosures_table(cast):
    from weasyprint import HTML

    from coaching.applications import add_file
    from tests.coaching.test_applications import a_file

    application = make_application(cast)
    name = "a" * 116 + ".pdf"
    add_file(enclosure=application.enclosures.get(kind="quotes"), file=a_file(name), by=cast.coach)
    pack = packs.request_pack(application, cast.coach)
    document = HTML(
        string=packs.pack_html(pack),
        base_url=pdf_module.BASE_URL,
        url_fetcher=pdf_module.static_only_fetcher(),
    ).render()
    page = document.pages[-1]._page_box
    edge = page.position_x + page.margin_width() - page.margin_right

    def widest(box):
        end = getattr(box, "position_x", 0) + getattr(box, "width", 0)
        return max([end, *(widest(child) for child in getattr(box, "children", []))])

    assert widest(page.children[0]) <= edge + 1


def test_a_new_version_of_a_submitted_application_keeps_its_submission_date(cast, client_for):
    application = make_application(cast)
    first = render(packs.request_pack(application, cast.coach))
    packs.mark_sent(first, cast.coach)
    LoanApplication.objects.filter(pk=application.pk).update(
        submitted_on=timezone.datetime(2024, 3, 1).date()
    )
    second = render(packs.request_pack(application, cast.coach))
    client = client_for("coach")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("coaching:pack_status", args=[second.pk])).content.decode()
    assert "submitted today" not in page
    assert "stays submitted on 01-03-2024" in page
    packs.mark_sent(second, cast.coach)
    assert LoanApplication.objects.get(pk=application.pk).submitted_on.isoformat() == "2024-03-01"


def test_the_files_note_only_with_files_and_the_start_month_in_full(cast):
    from coaching.applications import add_file
    from tests.coaching.test_applications import a_file

    application = application_with_verdicts(cast)
    note = "De bestanden worden met dit pakket meegestuurd"
    html = packs.pack_html(packs.request_pack(application, cast.coach))
    assert note not in html  # no file in the list: nothing is sent with it
    start = application.review.revision.figures.start
    with translation.override("nl"):
        assert f"{date_format(start, 'F Y')}</td>" in html  # "juni 2009", not "jun 2009"
    add_file(enclosure=application.enclosures.get(kind="quotes"), file=a_file(), by=cast.coach)
    render(ApplicationPack.objects.get())
    assert note in packs.pack_html(packs.request_pack(application, cast.coach))
