"""A forgotten password, end to end through a real SMTP server on loopback
(aiosmtpd, the ``inbox`` fixture of conftest.py): the link arrives by e-mail,
works once, and sets the new password."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

OLD, NEW = "a-long-pass-phrase", "another-long-pass-phrase-2026"


@pytest.fixture
def user():
    return get_user_model().objects.create_user("kari", "kari@example.no", OLD)


def signs_in(client, password) -> bool:
    response = client.post("/accounts/login/", {"username": "kari", "password": password})
    return response.status_code == 302


def test_a_forgotten_password_is_set_again_by_a_link_sent_by_email(client, inbox, user):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/"' in page
    sent = client.post("/accounts/password-reset/", {"email": "kari@example.no"})
    assert sent.status_code == 302 and sent["Location"] == "/accounts/password-reset/sent/"

    (message,) = inbox.messages
    assert message["To"] == "kari@example.no"
    assert message["Subject"] == "Nytt passord til unikom"
    body = message.get_body(("plain",)).get_content()
    link = re.search(r"http://testserver(/accounts/password-reset/[^/\s]+/[^/\s]+/)", body)
    assert link, body

    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/accounts/password-reset/done/"
    assert not signs_in(client, OLD)
    assert signs_in(client, NEW)

    client.post("/accounts/logout/")
    again = client.get(link.group(1), follow=True)
    assert not again.context["validlink"]
    assert "Denne lenken virker ikke" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, inbox, user):
    sent = client.post("/accounts/password-reset/", {"email": "noen@example.no"})
    assert sent.status_code == 302 and sent["Location"] == "/accounts/password-reset/sent/"
    assert inbox.messages == []


def test_a_weak_new_password_is_refused_at_its_field(client, inbox, user):
    client.post("/accounts/password-reset/", {"email": "kari@example.no"})
    body = inbox.messages[0].get_body(("plain",)).get_content()
    path = re.search(r"http://testserver(/accounts/password-reset/\S+/)", body).group(1)
    form = client.get(path, follow=True)
    refused = client.post(
        form.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"}
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["new_password2"]
    assert signs_in(client, OLD)
