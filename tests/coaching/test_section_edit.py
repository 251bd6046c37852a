"""A resident writes a part of the plan: saved per part, bad input kept with a Dutch message,
two tabs cannot overwrite each other, and typing is kept before it is saved."""

import re

from django.urls import reverse

from coaching.models import PlanSection
from coaching.services import SectionConflict, save_section
from tests.factories import make_plan


def url(slug):
    return reverse("coaching:section_edit", kwargs={"section": slug})


def section(cast, key):
    return PlanSection.objects.get(plan__resident=cast.resident, key=key)


def test_a_resident_saves_a_part_and_finds_it_again(client_for, cast):
    client = client_for("resident")
    page = client.get(url("ondernemer")).content.decode()
    assert "Waarom wil je een eigen bedrijf beginnen?" in page
    assert "Bekijk een voorbeeld" in page
    response = client.post(
        url("ondernemer"),
        {"version": "0", "motivation": "Ik wil mijn eigen kapsalon.", "own_capital": "2.500"},
        follow=True,
    )
    page = response.content.decode()
    assert "Opgeslagen." in page
    assert "Ik wil mijn eigen kapsalon." in page
    assert 'value="2.500,00"' in page
    saved = section(cast, "entrepreneur")
    assert saved.version == 1
    assert saved.data["motivation"] == "Ik wil mijn eigen kapsalon."
    assert saved.data["own_capital"] == "2500.00"
    assert saved.saved_by == cast.resident_user


def test_dutch_amounts_are_stored_as_amounts(client_for, cast):
    client_for("resident").post(
        url("investeringen"),
        {
            "version": "0",
            "stock": "1.250,50",
            "cash": "€\u00a01000",
            "vat": "1250",
            "assets-TOTAL_FORMS": "1",
            "assets-INITIAL_FORMS": "0",
            "assets-0-description": "Kappersstoel",
            "assets-0-amount": "1.200,-",
            "assets-0-years": "5",
        },
    )
    data = section(cast, "investment").data
    assert (data["stock"], data["cash"], data["vat"]) == ("1250.50", "1000.00", "1250.00")
    assert data["assets"] == [{"description": "Kappersstoel", "amount": "1200.00", "years": 5}]


def test_text_and_negative_amounts_get_a_dutch_message_and_nothing_typed_is_lost(client_for, cast):
    response = client_for("resident").post(
        url("investeringen"),
        {
            "version": "0",
            "stock": "duizend",
            "cash": "-500",
            "contingency": "99999999999",
            "startup_costs": "750",
            "assets-TOTAL_FORMS": "1",
            "assets-INITIAL_FORMS": "0",
            "assets-0-description": "Föhn",
            "assets-0-amount": "80",
            "assets-0-years": "vijf",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nog niet opgeslagen" in page
    assert "Vul een bedrag in cijfers in" in page
    assert "zonder minteken" in page
    assert "te hoog" in page
    assert 'value="duizend"' in page
    assert 'value="-500"' in page
    assert 'value="750"' in page
    assert 'value="Föhn"' in page
    stored = section(cast, "investment")
    assert stored.version == 0 and stored.data == {}
    # What was typed is kept as a draft: leaving the page now loses nothing.
    assert stored.autosave["stock"] == "duizend"
    assert stored.autosave["assets-0-description"] == "Föhn"


def test_a_row_with_an_amount_but_no_description_asks_for_one(client_for, cast):
    response = client_for("resident").post(
        url("investeringen"),
        {
            "version": "0",
            "assets-TOTAL_FORMS": "2",
            "assets-INITIAL_FORMS": "0",
            "assets-0-amount": "500",
            "assets-1-description": "",
        },
    )
    page = response.content.decode()
    assert "Vul ook een omschrijving in." in page
    assert "Vul in na hoeveel jaar het versleten is" in page


def test_a_hundred_row_table_is_refused_with_a_message_and_kept(client_for, cast):
    data = {"version": "0", "assets-TOTAL_FORMS": "100", "assets-INITIAL_FORMS": "0"}
    for i in range(100):
        data |= {
            f"assets-{i}-description": f"Ding {i}",
            f"assets-{i}-amount": "10",
            f"assets-{i}-years": "5",
        }
    response = client_for("resident").post(url("investeringen"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Je kunt maximaal 25 regels invullen" in page
    assert 'value="Ding 99"' in page
    assert section(cast, "investment").version == 0


def test_html_in_a_field_is_shown_as_text_everywhere(client_for, cast):
    evil = '<script>alert("x")</script><b>vet</b>'
    client = client_for("resident")
    client.post(url("ondernemer"), {"version": "0", "motivation": evil})
    plan = make_plan(cast.resident)
    pages = [
        client.get(url("ondernemer")).content.decode(),
        client.get(reverse("coaching:own_plan_print")).content.decode(),
        client_for("coach")
        .get(reverse("coaching:plan_detail", kwargs={"pk": plan.pk}))
        .content.decode(),
    ]
    for page in pages:
        assert "<script>alert" not in page
        assert "<b>vet</b>" not in page
        assert "&lt;script&gt;" in page


def test_a_kvk_number_must_have_eight_digits(client_for, cast):
    client = client_for("resident")
    page = client.post(url("onderneming"), {"version": "0", "kvk_number": "1234"}).content
    assert "Een KvK-nummer heeft 8 cijfers" in page.decode()
    client.post(url("onderneming"), {"version": "0", "kvk_number": "0123 4567"})
    assert section(cast, "business").data["kvk_number"] == "01234567"


def test_an_unknown_part_answers_404(client_for, cast):
    assert client_for("resident").get(url("bestaat-niet")).status_code == 404


def test_two_tabs_saving_the_same_part_lose_nothing(client_for, cast):
    client = client_for("resident")
    # Both tabs opened version 0. Tab A saves first.
    client.post(url("ondernemer"), {"version": "0", "motivation": "Tekst uit tab A"})
    # Tab B saves on top of version 0 as well: refused, with both texts on the page.
    response = client.post(url("ondernemer"), {"version": "0", "motivation": "Tekst uit tab B"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "intussen ergens anders opgeslagen" in page
    assert "Tekst uit tab B" in page  # in the form, to save again
    assert "Tekst uit tab A" in page  # under "what is saved now"
    assert 'name="version" value="1"' in page
    stored = section(cast, "entrepreneur")
    assert stored.data["motivation"] == "Tekst uit tab A"
    assert stored.autosave["motivation"] == "Tekst uit tab B"
    # Saving once more, having seen tab A's text, is a deliberate choice and works.
    client.post(url("ondernemer"), {"version": "1", "motivation": "Tekst uit tab B"})
    stored.refresh_from_db()
    assert (stored.version, stored.data["motivation"]) == (2, "Tekst uit tab B")


def test_of_two_saves_on_the_same_version_only_one_wins(cast):
    plan = make_plan(cast.resident)
    stored = plan.sections_by_key["entrepreneur"]
    save_section(section=stored, content={"motivation": "eerste"}, version=0, by=None)
    try:
        save_section(section=stored, content={"motivation": "tweede"}, version=0, by=None)
    except SectionConflict as conflict:
        assert conflict.section.data == {"motivation": "eerste"}
    else:
        raise AssertionError("the second save on version 0 must be refused")


def test_autosave_keeps_typing_apart_from_the_saved_part(client_for, cast):
    client = client_for("resident")
    client.post(url("ondernemer"), {"version": "0", "motivation": "Opgeslagen tekst"})
    response = client.post(
        reverse("coaching:section_autosave", kwargs={"section": "ondernemer"}),
        {"version": "1", "motivation": "Nog aan het typen", "evil": "x" * 10},
    )
    assert response.status_code == 200
    assert "Concept bewaard om" in response.json()["message"]
    stored = section(cast, "entrepreneur")
    assert stored.data["motivation"] == "Opgeslagen tekst"
    assert stored.version == 1
    assert stored.autosave == {"version": "1", "motivation": "Nog aan het typen"}
    # Back on the page later (another day, another browser): the typing is there.
    page = client.get(url("ondernemer")).content.decode()
    assert "Nog aan het typen" in page
    assert "We hebben teruggezet wat je typte" in page


def test_autosave_cuts_very_long_values(client_for, cast):
    make_plan(cast.resident)  # she has the part open, so her plan was started
    client_for("resident").post(
        reverse("coaching:section_autosave", kwargs={"section": "ondernemer"}),
        {"version": "0", "motivation": "a" * 20000},
    )
    assert len(section(cast, "entrepreneur").autosave["motivation"]) == 5000


def test_the_completion_bar_follows_what_is_saved(client_for, cast):
    client = client_for("resident")
    assert 'value="0" max="100"' in client.get(reverse("coaching:plan_home")).content.decode()
    client.post(url("ondernemer"), {"version": "0", "motivation": "Eigen baas", "education": "MBO"})
    page = client.get(reverse("coaching:plan_home")).content.decode()
    # 2 of the plan's 55 items (7+9+12+6+3+9+2+7): 2 x 100 // 55 = 3%
    assert 'value="3" max="100"' in page
    assert "2 van 7 ingevuld" in page


def test_an_interest_rate_may_be_typed_with_a_percent_sign(client_for, cast):
    client_for("resident").post(
        url("financiering"),
        {
            "version": "0",
            "qredits_amount": "5.500",
            "qredits_rate": "9%",
            "qredits_months": "48",
            "bank_rate": "7,5 %",
        },
    )
    data = section(cast, "financing").data
    assert (data["qredits_rate"], data["bank_rate"]) == ("9.00", "7.50")


def test_a_nonsense_interest_rate_gets_a_message_about_interest_not_cents(client_for, cast):
    page = client_for("resident").post(
        url("financiering"), {"version": "0", "qredits_rate": "veel", "bank_rate": "1,125"}
    )
    page = page.content.decode()
    # beside each of the two fields (the page also hands the message to the live check)
    assert (
        page.count('"invalid-feedback d-block">Vul de rente in als getal, bijvoorbeeld 7,5.') == 2
    )
    # (the amount messages handed to the page's JavaScript do speak of cents)
    assert "centen" not in re.sub(r'<script id="amount-messages".*?</script>', "", page, flags=re.S)
    assert 'value="veel"' in page
    assert section(cast, "financing").version == 0
