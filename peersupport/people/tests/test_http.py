"""``signed_in``: the admin's methods get the person acting, or nobody gets through."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from peersupport.people.http import signed_in
from peersupport.test import BaseTestCase


class SignedInTests(BaseTestCase):
    def test_the_signed_in_user_or_a_refusal(self) -> None:
        request = RequestFactory().get("/admin/")
        request.user = self.alice_user
        assert signed_in(request) == self.alice_user
        request.user = AnonymousUser()
        with pytest.raises(PermissionDenied):
            signed_in(request)
