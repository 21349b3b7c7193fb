"""Each token has a request budget per period, and failed authentications are limited per address,
both counted in the shared cache (settings.API_RATE_LIMIT, API_FAILED_AUTH_RATE_LIMIT)."""

import pytest
from django.urls import reverse

from api.services import parse_rate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("start_of_a_rate_window")]


def test_a_token_past_its_limit_gets_429_with_retry_after(client, make_token, settings):
    settings.API_RATE_LIMIT = "3/m"
    _, headers = make_token()

    codes = [client.get(reverse("api-v1:sessions"), headers=headers).status_code for _ in range(4)]
    refused = client.get(reverse("api-v1:sessions"), headers=headers)

    assert codes == [200, 200, 200, 429]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Too many requests" in refused.json()["detail"]


def test_one_tokens_limit_does_not_touch_another_token(client, make_token, settings):
    settings.API_RATE_LIMIT = "2/m"
    _, busy = make_token(name="Busy")
    _, quiet = make_token(name="Quiet")
    for _ in range(3):
        client.get(reverse("api-v1:sessions"), headers=busy)

    assert client.get(reverse("api-v1:sessions"), headers=quiet).status_code == 200


def test_guessing_tokens_from_one_address_is_slowed_down(client, settings):
    settings.API_FAILED_AUTH_RATE_LIMIT = "3/m"
    wrong = {"Authorization": "Bearer pm_000000000000_" + "x" * 43}

    codes = [client.get(reverse("api-v1:sessions"), headers=wrong).status_code for _ in range(4)]

    assert codes == [401, 401, 401, 429]


@pytest.mark.parametrize(("rate", "parsed"), [("120/m", (120, 60)), ("1000/h", (1000, 3600)), ("10/30s", (10, 30))])
def test_rates_are_written_as_count_per_period(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["", "120", "x/m", "120/w", "120/am"])
def test_a_malformed_rate_setting_is_refused_with_a_message(rate):
    with pytest.raises(ValueError, match="Not a rate"):
        parse_rate(rate)
