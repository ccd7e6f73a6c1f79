"""The long select writes what Django's own select writes, escaping included."""

import re

from django import forms

from peersupport.widgets import LongSelect

CHOICES = [("", "Any"), (1, "A & B"), (2, 'Ziek<huis> "Oost"')]


def test_the_long_select_renders_as_djangos_select() -> None:
    for value in ("2", "", None):
        django = forms.Select(choices=CHOICES).render("department", value, {"id": "id_d"})
        ours = LongSelect(choices=CHOICES).render("department", value, {"id": "id_d"})
        assert re.sub(r">\s+<", "><", str(django)) == str(ours)
    assert "Ziek&lt;huis&gt; &quot;Oost&quot;" in LongSelect(choices=CHOICES).render("d", None)
