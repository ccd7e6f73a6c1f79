"""The demo hospital's names and plan: departments, functions, names, the cases' statuses
and ages, the sign-ins. Invented; no real person."""

import unicodedata

from peersupport.cases.constants import (
    Status,
)
from peersupport.people.models import (
    ProfessionGroup,
)

DEMO_PASSWORD = "peer-support-demo"  # noqa: S105  (printed for the demo)
DOMAIN = "demo-ziekenhuis.nl"

DEPARTMENTS = [
    ("SEH", "Spoedeisende Hulp"),
    ("IC", "Intensive Care"),
    ("OK", "Operatiekamers"),
    ("CAR", "Cardiologie"),
    ("CHI", "Chirurgie"),
    ("INT", "Interne Geneeskunde"),
    ("KIN", "Kindergeneeskunde"),
    ("VLK", "Verloskunde"),
    ("NEU", "Neurologie"),
    ("PSY", "Psychiatrie"),
    ("LAB", "Laboratorium"),
    ("FAC", "Facilitair Bedrijf"),
]
FUNCTIONS = [
    ("VPK", "Verpleegkundige", ProfessionGroup.NURSING),
    ("IC-VPK", "IC-verpleegkundige", ProfessionGroup.NURSING),
    ("SEH-VPK", "SEH-verpleegkundige", ProfessionGroup.NURSING),
    ("VLK", "Verloskundige", ProfessionGroup.NURSING),
    ("ZVK", "Zorgassistent", ProfessionGroup.NURSING),
    ("AIOS", "Arts in opleiding", ProfessionGroup.MEDICAL),
    ("MS", "Medisch specialist", ProfessionGroup.MEDICAL),
    ("ANA", "Anesthesioloog", ProfessionGroup.MEDICAL),
    ("OKA", "Operatieassistent", ProfessionGroup.ALLIED),
    ("ANM", "Anesthesiemedewerker", ProfessionGroup.ALLIED),
    ("FYS", "Fysiotherapeut", ProfessionGroup.ALLIED),
    ("ANL", "Analist", ProfessionGroup.ALLIED),
    ("SEC", "Secretaresse", ProfessionGroup.SUPPORT),
    ("BEV", "Beveiliger", ProfessionGroup.SUPPORT),
    ("TL", "Teamleider", ProfessionGroup.MANAGEMENT),
]
FIRST = [
    "Anne",
    "Bram",
    "Chantal",
    "Daan",
    "Eva",
    "Fatima",
    "Gijs",
    "Hanna",
    "Iris",
    "Jeroen",
    "Karin",
    "Lars",
    "Marieke",
    "Noah",
    "Olga",
    "Pieter",
    "Rik",
    "Sanne",
    "Tom",
    "Umut",
    "Vera",
    "Willem",
    "Yara",
    "Zoë",
    "Lotte",
    "Mohamed",
    "Sophie",
    "Thijs",
    "Nadia",
    "Bas",
]
LAST = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Yilmaz",
    "El Amrani",
    "Kramer",
    "van der Linden",
    "Koster",
    "Prins",
    "Huisman",
    "Postma",
]

# The three employees of one large incident, and where their cases stand.
LARGE_EVENT = [Status.IN_PROGRESS, Status.ACCEPTED, Status.DECLINED]

# Open cases whose request came in this many hours ago, to show each deadline state.
RECENT = [
    (Status.NEW, 6),
    (Status.NEW, 55),
    (Status.NEW, 80),
    (Status.ASSIGNED, 20),
    (Status.ASSIGNED, 50),
    (Status.ASSIGNED, 76),
    (Status.ASSIGNED, 30),
    (Status.OFFERED, 40),
    (Status.OFFERED, 60),
    (Status.OFFERED, 90),
    (Status.ACCEPTED, 26),
    (Status.ACCEPTED, 70),
    (Status.IN_PROGRESS, 24 * 5),
    (Status.IN_PROGRESS, 24 * 9),
    (Status.IN_PROGRESS, 24 * 13),
    (Status.IN_PROGRESS, 24 * 16),
    (Status.IN_PROGRESS, 24 * 25),
    (Status.IN_PROGRESS, 24 * 40),
    (Status.IN_PROGRESS, 24 * 50),
    (Status.DECLINED, 24 * 3),
    (Status.NO_ANSWER, 24 * 6),
]


def ascii_address(address: str) -> str:
    """Zoë's address as mail systems spell it: zoe (no accents before the @)."""
    plain = unicodedata.normalize("NFKD", address).encode("ascii", "ignore").decode()
    return plain.lower()


ACCOUNTS = [
    ("coordinator", "coordinator: the dashboard, matching, all cases (coordinator2 too)"),
    ("supporter", "peer supporter: own cases (supporter01-29 too)"),
    ("employee", "employee with a case"),
    ("manager", "manager: refers, then sees nothing of the case"),
    ("hr", "HR"),
    ("board", "board"),
    ("cag", "calamity advisory group: registers events proactively"),
    ("admin", "administrator: organisation, users and the deadline policy (/admin/)"),
]
