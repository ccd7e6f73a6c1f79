import pytest


@pytest.fixture(autouse=True)
def _english_by_default(settings):  # type: ignore[no-untyped-def]
    """Tests read English messages unless a test switches language itself."""
    settings.LANGUAGE_CODE = "en"
