import re

from peersupport.reports.charts import bars


def test_two_charts_on_one_page_are_each_named_by_their_own_title() -> None:
    rows = [("Aggression", "12", "9")]
    page = bars("Cases by kind of event", rows, ("2025", "2024")) + bars(
        "Cases by department", rows, ("2025", "2024")
    )
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) == 2
    for label, title_id in zip(re.findall(r'aria-labelledby="([^"]+)"', page), ids, strict=True):
        assert label == title_id
