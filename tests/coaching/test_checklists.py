"""The coordinator keeps the desk's review checklist: every save is a new version, reviews keep
the version they were made with, and two coordinators cannot overwrite each other."""

import pytest
from django.conf import settings
from django.urls import reverse

from coaching.models import Checklist, Topic
from coaching.reviews import ItemDraft, current_checklist, save_checklist, start_review
from coaching.services import submit_plan
from ondernemerspunt.models import AuditEntry
from tests.factories import make_member, make_plan


def rows_of(checklist) -> list[dict]:
    """The editor's rows as the page sends them back unchanged."""
    return [
        {
            "key": item.key,
            "topic": item.topic,
            "text": item.text,
            "check_key": item.check_key,
            "ORDER": str(item.position),
        }
        for item in checklist.items.all()
    ]


def form_data(rows, *, based_on, initial, review_cosign=False, shown=False) -> dict:
    """What the editor sends; ``shown`` is the four-eyes setting the page was built with."""
    data = {
        "based_on": str(based_on),
        "review_cosign_shown": str(shown),
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": str(initial),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    if review_cosign:
        data["review_cosign"] = "on"
    for index, row in enumerate(rows):
        data.update({f"items-{index}-{name}": value for name, value in row.items()})
    return data


def edit_url(desk):
    return reverse("coaching:checklist_edit", kwargs={"desk": desk.slug})


@pytest.fixture
def coordinator(client_for):
    return client_for("coordinator")


def test_the_editor_shows_the_current_checklist(coordinator, cast):
    response = coordinator.get(edit_url(cast.desk))
    assert response.status_code == 200
    checklist = current_checklist(cast.desk)
    assert response.context["settings"]["based_on"].value() == 1
    assert [form.initial["key"] for form in response.context["items"].initial_forms] == [
        item.key for item in checklist.items.all()
    ]


def test_an_edit_makes_version_2_and_a_review_keeps_version_1(coordinator, cast):
    plan = make_plan(cast.resident, {"entrepreneur": {"motivation": "Eigen baas"}})
    revision, _ = submit_plan(plan=plan, by=cast.resident_user, site="http://testserver")
    review = start_review(revision=revision, by=cast.coach)
    first = current_checklist(cast.desk)
    first_items = [(item.key, item.text) for item in first.items.all()]
    rows = rows_of(first)
    rows[0]["text"] = "Vakkennis, aangetoond met diploma's"
    rows[1]["DELETE"] = "on"
    rows[2]["ORDER"] = "1"  # moved to the top
    initial = len(rows)
    rows.append({"key": "", "topic": Topic.LEGAL, "text": "Huurcontract bekeken", "ORDER": ""})
    rows.append({"key": "", "topic": "", "text": "", "check_key": "", "ORDER": ""})  # left empty

    response = coordinator.post(edit_url(cast.desk), form_data(rows, based_on=1, initial=initial))

    assert response.status_code == 302
    second = current_checklist(cast.desk)
    assert second.version == 2
    assert second.created_by == cast.coordinator
    items = list(second.items.all())
    assert len(items) == len(first_items)  # one removed, one added
    assert items[0].key == first_items[2][0]
    assert items[1].key == first_items[0][0]
    assert items[1].text == "Vakkennis, aangetoond met diploma's"
    assert first_items[1][0] not in {item.key for item in items}
    assert items[-1].text == "Huurcontract bekeken"
    assert items[-1].key not in {key for key, _text in first_items}
    review.refresh_from_db()
    assert review.checklist == first
    assert [(ri.item.key, ri.item.text) for ri in review.items.select_related("item")] == (
        first_items
    )


def saved_order(coordinator, cast, positions: dict[int, str]) -> list[int]:
    """Save the current checklist with these rows renumbered; the old positions of the
    points of the new version, in their new order."""
    first = current_checklist(cast.desk)
    old_position = {item.key: item.position for item in first.items.all()}
    rows = rows_of(first)
    for index, position in positions.items():
        rows[index]["ORDER"] = position
    data = form_data(rows, based_on=first.version, initial=len(rows))
    assert coordinator.post(edit_url(cast.desk), data).status_code == 302
    return [old_position[item.key] for item in current_checklist(cast.desk).items.all()]


def test_a_point_goes_to_the_position_typed(coordinator, cast):
    assert saved_order(coordinator, cast, {4: "2"})[:6] == [1, 5, 2, 3, 4, 6]
    # Moved down to 3, the first point comes after the point that was 3.
    assert saved_order(coordinator, cast, {0: "3"})[:4] == [2, 3, 1, 4]
    # Without a number a point goes to the end.
    assert saved_order(coordinator, cast, {0: ""})[-1] == 1


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(coordinator, cast):
    first = current_checklist(cast.desk)
    rows = rows_of(first)
    rows[0]["text"] = "Mijn eigen formulering"
    save_checklist(
        desk=cast.desk,
        items=[ItemDraft(topic=Topic.IDEA, text="Alleen dit punt")],
        based_on=1,
        by=cast.coordinator,
    )

    data = form_data(rows, based_on=1, initial=len(rows))
    response = coordinator.post(edit_url(cast.desk), data)

    assert response.status_code == 200
    assert Checklist.objects.filter(desk=cast.desk).count() == 2
    assert "Mijn eigen formulering" in response.content.decode()
    assert response.context["settings"]["based_on"].value() == 2
    # Having compared, the coordinator saves again on top of version 2.
    data["based_on"] = "2"
    assert coordinator.post(edit_url(cast.desk), data).status_code == 302
    assert current_checklist(cast.desk).version == 3


@pytest.mark.parametrize("role", ["coach", "other_coach", "resident", "partner", "project_group"])
def test_only_the_coordinator_of_the_desk_edits(client_for, cast, role):
    first = current_checklist(cast.desk)
    client = client_for(role)
    data = form_data(rows_of(first), based_on=1, initial=len(rows_of(first)))
    assert client.get(edit_url(cast.desk)).status_code == 404
    assert client.post(edit_url(cast.desk), data).status_code == 404
    version_url = reverse("coaching:checklist_version", args=[cast.desk.slug, 1])
    assert client.get(version_url).status_code == 404
    assert current_checklist(cast.desk).version == 1


def test_another_desks_coordinator_gets_404(client, cast):
    client.force_login(make_member(cast.other_desk, "coordinator"))
    assert client.get(edit_url(cast.desk)).status_code == 404
    assert client.get(edit_url(cast.other_desk)).status_code == 200


def test_four_eyes_is_saved_with_an_audit_line_and_no_new_version(coordinator, cast):
    rows = rows_of(current_checklist(cast.desk))
    lines = AuditEntry.objects.filter(desk=cast.desk, actor=cast.coordinator)
    before = lines.count()

    data = form_data(rows, based_on=1, initial=len(rows), review_cosign=True)
    assert coordinator.post(edit_url(cast.desk), data).status_code == 302

    cast.desk.refresh_from_db()
    assert cast.desk.review_cosign is True
    assert lines.count() == before + 1
    assert lines.latest("at").action == AuditEntry.Action.CHANGED
    assert current_checklist(cast.desk).version == 1  # the points did not change

    data = form_data(rows, based_on=1, initial=len(rows), shown=True)
    coordinator.post(edit_url(cast.desk), data)
    cast.desk.refresh_from_db()
    assert cast.desk.review_cosign is False
    assert lines.count() == before + 2


@pytest.mark.parametrize(
    ("field", "value"),
    [("text", ""), ("text", "x" * 201), ("topic", "horoscope"), ("check_key", "astrology")],
)
def test_bad_input_is_refused_next_to_the_field(coordinator, cast, field, value):
    rows = rows_of(current_checklist(cast.desk))
    rows[3][field] = value

    response = coordinator.post(edit_url(cast.desk), form_data(rows, based_on=1, initial=len(rows)))

    assert response.status_code == 200
    assert field in response.context["items"].errors[3]
    assert Checklist.objects.filter(desk=cast.desk).count() == 1


def test_a_checklist_without_points_is_refused(coordinator, cast):
    rows = rows_of(current_checklist(cast.desk))
    for row in rows:
        row["DELETE"] = "on"

    response = coordinator.post(edit_url(cast.desk), form_data(rows, based_on=1, initial=len(rows)))

    assert response.status_code == 200
    assert response.context["items"].non_form_errors()
    assert Checklist.objects.filter(desk=cast.desk).count() == 1


def test_a_key_sent_twice_makes_the_second_a_new_point(coordinator, cast):
    rows = rows_of(current_checklist(cast.desk))
    rows[1]["key"] = rows[0]["key"]

    response = coordinator.post(edit_url(cast.desk), form_data(rows, based_on=1, initial=len(rows)))

    assert response.status_code == 302
    keys = [item.key for item in current_checklist(cast.desk).items.all()]
    assert len(set(keys)) == len(rows)


def test_earlier_versions_are_listed_and_readable(coordinator, cast):
    first = current_checklist(cast.desk)
    save_checklist(
        desk=cast.desk,
        items=[ItemDraft(topic=Topic.IDEA, text="Alleen dit punt")],
        based_on=1,
        by=cast.coordinator,
    )
    old_url = reverse("coaching:checklist_version", args=[cast.desk.slug, 1])
    assert old_url in coordinator.get(edit_url(cast.desk)).content.decode()

    response = coordinator.get(old_url)
    assert response.status_code == 200
    page = response.content.decode()
    for item in first.items.all():
        assert f'data-item-key="{item.key}"' in page


@pytest.mark.parametrize("version", [7, 2**40])
def test_an_unknown_version_is_404(coordinator, cast, version):
    current_checklist(cast.desk)
    url = reverse("coaching:checklist_version", args=[cast.desk.slug, version])
    assert coordinator.get(url).status_code == 404


def resent(response) -> dict:
    """The conflict page's form as a browser sends it back unchanged."""
    data = response.wsgi_request.POST.copy()
    form = response.context["settings"]
    data["based_on"] = str(form["based_on"].value())
    data["review_cosign_shown"] = str(form["review_cosign_shown"].value())
    if form["review_cosign"].value():
        data["review_cosign"] = "on"
    else:
        data.pop("review_cosign", None)
    return data


def test_a_stale_save_shows_what_is_saved_now_beside_the_edit(coordinator, cast):
    cast.desk.review_cosign = True
    cast.desk.save(update_fields=["review_cosign"])
    first = current_checklist(cast.desk)
    keys = [item.key for item in first.items.all()]
    # Tab B is opened on version 1 (four eyes on); tab A removes point 3, adds one and switches
    # four eyes off.
    rows_b = rows_of(first)
    rows_a = rows_of(first)
    rows_a[2]["DELETE"] = "on"
    rows_a.append({"key": "", "topic": Topic.LEGAL, "text": "Huurcontract bekeken", "ORDER": ""})
    data_a = form_data(rows_a, based_on=1, initial=len(rows_a) - 1, shown=True)
    assert coordinator.post(edit_url(cast.desk), data_a).status_code == 302
    added = current_checklist(cast.desk).items.get(text="Huurcontract bekeken").key

    rows_b[0]["text"] = "Mijn eigen formulering"
    data_b = form_data(rows_b, based_on=1, initial=len(rows_b), review_cosign=True, shown=True)
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = coordinator.post(edit_url(cast.desk), data_b)

    assert response.status_code == 200
    assert current_checklist(cast.desk).version == 2
    page = response.content.decode()
    assert 'data-saved-version="2"' in page and 'data-saved-cosign="off"' in page
    assert f"Now saved: version 2, by {cast.coordinator}" in page
    assert "Mijn eigen formulering" in page  # B's edit is kept
    saved = {item.key: item for item in response.context["saved_items"]}
    assert keys[2] not in saved
    assert [key for key, item in saved.items() if item.left_out] == [added]
    # Point 3, removed in version 2, is marked in B's form: saving brings it back as new.
    assert [form.gone for form in response.context["items"].initial_forms] == [
        index == 2 for index in range(len(rows_b))
    ]
    assert page.count("data-gone-since") == 1
    # Four eyes: B did not touch it, so the page now shows what is saved (off).
    assert response.context["settings"]["review_cosign"].value() is False

    # Having seen both, B saves again on top of version 2.
    assert coordinator.post(edit_url(cast.desk), resent(response)).status_code == 302
    third = list(current_checklist(cast.desk).items.all())
    assert current_checklist(cast.desk).version == 3
    assert [item.key for item in third][:2] == keys[:2]
    assert [item.key for item in third][3:] == keys[3:]
    assert third[2].key != keys[2]  # came back as a new point, as the page said
    assert third[0].text == "Mijn eigen formulering"
    cast.desk.refresh_from_db()
    assert cast.desk.review_cosign is False


def test_four_eyes_switched_on_a_stale_page_stays_switched_on_the_conflict_page(coordinator, cast):
    first = current_checklist(cast.desk)
    rows = rows_of(first)
    save_checklist(
        desk=cast.desk,
        items=[ItemDraft(topic=Topic.IDEA, text="Alleen dit punt")],
        based_on=1,
        by=cast.coordinator,
    )
    data = form_data(rows, based_on=1, initial=len(rows), review_cosign=True, shown=False)
    response = coordinator.post(edit_url(cast.desk), data)

    assert response.status_code == 200
    assert response.context["settings"]["review_cosign"].value() is True
    assert coordinator.post(edit_url(cast.desk), resent(response)).status_code == 302
    cast.desk.refresh_from_db()
    assert cast.desk.review_cosign is True


def test_an_older_page_does_not_switch_back_four_eyes_changed_since(coordinator, cast):
    rows = rows_of(current_checklist(cast.desk))
    # Another tab switched four eyes on; that makes no new version of the points.
    on = form_data(rows, based_on=1, initial=len(rows), review_cosign=True, shown=False)
    assert coordinator.post(edit_url(cast.desk), on).status_code == 302
    # This page was opened before, with four eyes off, and changes a point only.
    rows[0]["text"] = "Vakkennis, aangetoond met diploma's"
    data = form_data(rows, based_on=1, initial=len(rows), review_cosign=False, shown=False)

    assert coordinator.post(edit_url(cast.desk), data).status_code == 302

    assert current_checklist(cast.desk).version == 2
    cast.desk.refresh_from_db()
    assert cast.desk.review_cosign is True


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("items-TOTAL_FORMS", None),
        ("items-INITIAL_FORMS", None),
        ("items-TOTAL_FORMS", "abc"),
        ("items-INITIAL_FORMS", "\x00"),
        ("based_on", None),
        ("review_cosign_shown", None),
        ("review_cosign_shown", "maybe"),
    ],
)
def test_an_incomplete_form_asks_to_make_the_changes_again(coordinator, cast, field, value):
    rows = rows_of(current_checklist(cast.desk))
    rows[0]["text"] = "Mijn eigen formulering"
    data = form_data(rows, based_on=1, initial=len(rows), review_cosign=True)
    if value is None:
        del data[field]
    else:
        data[field] = value
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = coordinator.post(edit_url(cast.desk), data)

    assert response.status_code == 200
    assert not response.context["items"].is_bound  # the checklist as saved, loaded again
    page = response.content.decode()
    assert "The form arrived incomplete" in page
    assert "at least one point" not in page
    assert Checklist.objects.filter(desk=cast.desk).count() == 1
    cast.desk.refresh_from_db()
    assert cast.desk.review_cosign is False
