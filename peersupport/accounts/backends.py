"""Django's password backend, but an employee the HR import marked as gone stops
working like a disabled account: at sign-in and at the very next request of a
session already open (Django checks user_can_authenticate in get_user too)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from peersupport.people.models import Employee


class ActiveEmployeeBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return not Employee.objects.filter(user_id=user.pk, is_active=False).exists()
