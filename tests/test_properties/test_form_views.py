"""Every form-backed view under arbitrary posts, as a user allowed to use it: never a 5xx, an invalid
post leaves the database as it was and says why, and a valid one is accepted (and creates its row).

The test client re-raises a view's exception by default, so a `status != 500` assertion alone
proves nothing: these tests switch that off and assert the status the user gets."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from tests.test_properties.form_cases import (
    ACCEPTS_ANYTHING,
    CREATES,
    FORM_CLASSES,
    FORM_VIEWS,
    HTTP,
    bind,
    broken_post,
    counts,
    exam_file,
    known_ids,
    refusal_is_shown,
    valid_payloads,
    why,
)
from tests.test_properties.support import rolled_back

pytestmark = pytest.mark.django_db


def test_every_form_is_posted_through_its_view():
    posted = {form for _, _, form, _, _ in FORM_VIEWS}
    assert posted == {cls.__name__ for cls in FORM_CLASSES}


@pytest.mark.parametrize(("view", "who", "form_name", "target", "method"), FORM_VIEWS, ids=[v[0] for v in FORM_VIEWS])
def test_arbitrary_posts_to_a_form_view_never_give_a_server_error_nor_half_saved_rows(
    client, world, view, who, form_name, target, method
):
    form_class = next(cls for cls in FORM_CLASSES if cls.__name__ == form_name)
    url = reverse(view, args=[world[target].pk] if target else [])
    names = list(dict.fromkeys([*form_class.base_fields, *bind(form_class, {}, world).fields]))
    known = known_ids(world)
    valid = valid_payloads(world).get(view, {})
    client.raise_request_exception = False  # a server error must show up as the 500 a user gets
    outcomes = {"accepted": 0, "refused": 0, "created": 0}

    def send(payload: dict, file_name: str = "a.csv", raw: bytes | None = None):
        if who:
            client.force_login(world[who])  # an accepted delete_account signs the user out
        if method == "get":
            return client.get(url, payload)
        if form_name == "ExamUploadForm":
            payload = {**payload, "file": SimpleUploadedFile(file_name, exam_file(world) if raw is None else raw)}
        return client.post(url, payload)

    def judge(response, before: dict[str, int], model, touched: bool = True) -> str:
        assert response.status_code in (200, 302, 400), f"{response.status_code} for {view}"
        download = response.status_code == 200 and response.has_header("Content-Disposition")
        accepted = not refusal_is_shown(response) and (response.status_code == 302 or method == "get" or download)
        if accepted:
            outcomes["accepted"] += 1
            if model is not None and model.objects.count() > before[model.__name__]:
                outcomes["created"] += 1
        else:
            outcomes["refused"] += 1
            # An empty post (no field of the form) shows the empty form again, as a GET does.
            assert refusal_is_shown(response) or not touched, f"{view} refused a post without saying why"
            if method == "post" and response.status_code != 302 and refusal_is_shown(response) and not view.startswith("account_"):
                # The same answer in every app for a refused form (core.views.render_form_page);
                # allauth's own pages (account_*) keep allauth's 200.
                assert response.status_code == 400, f"{view} showed its refusal with {response.status_code}: {why(response)}"
            if method == "post":
                assert counts() == before, "an invalid post saved rows"
        return "accepted" if accepted else "refused"

    # The unbroken post first: the fuzzing below must be able to tell accepted from refused.
    if valid:
        with rolled_back():
            before = counts()
            response = send(dict(valid))
            judge(response, before, CREATES.get(view))
        assert outcomes["accepted"] == 1, f"the valid post to {view} was refused: {why(response)}"

    @HTTP
    @given(data=st.data())
    def check(data):
        payload = data.draw(broken_post(valid, names, known))
        raw = data.draw(st.one_of(st.none(), st.binary(max_size=200))) if form_name == "ExamUploadForm" else None
        file_name = data.draw(st.sampled_from(["a.csv", "\x00.csv", "é" * 300])) if raw is not None else "a.csv"
        with rolled_back():
            before = counts()
            touched = bool(set(payload) & set(names)) or form_name == "ExamUploadForm"
            event(judge(send(payload, file_name, raw), before, CREATES.get(view), touched))

    check()
    if view not in ACCEPTS_ANYTHING:
        assert outcomes["refused"], f"no post to {view} was refused: the fuzzing reached no invalid input"
    if view in CREATES:
        assert outcomes["created"], f"no accepted post to {view} created a {CREATES[view].__name__}"
