"""The import contracts of `make lint` (pyproject.toml, [tool.importlinter]): each
holds on the code as it is, and each breaks on a deliberate violation, so that a
contract that could never fail would show here.

The graph is the real one, built by grimp as `lint-imports` builds it; a violation
is one import added to a copy of it, as if a module had been written with it."""

import copy
import tomllib
from pathlib import Path

import grimp
import pytest
from importlinter import configuration
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract
from importlinter.domain.contract import Contract

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
TYPES: dict[str, type[Contract]] = {"forbidden": ForbiddenContract, "layers": LayersContract}

# A deliberate violation of each contract: (importer, imported), the importer a module
# that exists. Several per contract, direct and through another app.
VIOLATIONS = {
    "reports imports no domain app": [
        ("peersupport.reports.views", "peersupport.people.models"),  # the role codes
        ("peersupport.reports.facts", "peersupport.cases.models"),
        ("peersupport.reports.annual", "peersupport.supporters.models"),
        ("peersupport.reports.views", "peersupport.intake.intake"),
        ("peersupport.reports.annual", "peersupport.handovers"),  # found from outside
        # Indirectly: reports uses the access log, which would then know a person.
        ("peersupport.audit.models", "peersupport.people.models"),
    ],
    "notices and audit import no domain app": [
        ("peersupport.notices.models", "peersupport.people.models"),
        ("peersupport.audit.models", "peersupport.cases.models"),
        ("peersupport.audit.anchor", "peersupport.reports.models"),
        ("peersupport.notices.models", "peersupport.handovers.apps"),  # found from outside
        # Indirectly: the outbox's worker runs in operations' loop.
        ("peersupport.operations.loop", "peersupport.cases.models"),
    ],
    "people imports neither cases nor supporters": [
        ("peersupport.people.models", "peersupport.supporters.models"),
        ("peersupport.people.hr_import", "peersupport.cases.models"),
        ("peersupport.people.models", "peersupport.handovers"),  # found from outside
        # Indirectly: a role change writes a message to the outbox.
        ("peersupport.notices.models", "peersupport.supporters.models"),
    ],
    "accounts (signing in)": [
        ("peersupport.accounts.views", "peersupport.cases.models"),
        ("peersupport.accounts.adapter", "peersupport.supporters.models"),
    ],
    "operations (processes, watchdog, metrics)": [
        ("peersupport.operations.metrics", "peersupport.cases.models"),  # as it was
        ("peersupport.operations.watchdog", "peersupport.people.models"),
    ],
    "the layers": [
        ("peersupport.people.admin", "peersupport.accounts.second_factor"),  # as it was
        ("peersupport.supporters.models", "peersupport.cases.models"),
        ("peersupport.reports.facts", "peersupport.people.models"),
        ("peersupport.audit.models", "peersupport.reports.facts"),
        ("peersupport.notices.models", "peersupport.audit.models"),
        ("peersupport.vocabulary", "peersupport.notices.models"),
        ("peersupport.cases.models", "peersupport.urls"),
        # The split of cases: the case core imports none of the apps built on it, those
        # apps import neither each other nor the "cases" URL map above them.
        ("peersupport.cases.views", "peersupport.workspace.views"),
        ("peersupport.cases.models", "peersupport.intake.intake"),
        ("peersupport.cases.access", "peersupport.mypages.personal_data"),
        ("peersupport.intake.intake", "peersupport.workspace.matching"),
        ("peersupport.mypages.views", "peersupport.intake.forms"),
        ("peersupport.workspace.views", "peersupport.case_urls"),
    ],
}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    configuration.configure()
    return grimp.build_graph(
        CONFIG["root_package"], exclude_type_checking_imports=True, cache_dir=None
    )


def contract(start: str) -> Contract:
    [options] = [c for c in CONFIG["contracts"] if c["name"].startswith(start)]
    session = {"root_packages": [CONFIG["root_package"]]}
    rest = {k: v for k, v in options.items() if k not in ("name", "type")}
    return TYPES[options["type"]](options["name"], session, rest)


def test_every_contract_has_its_violations_here() -> None:
    names = [c["name"] for c in CONFIG["contracts"]]
    assert len(names) == len(VIOLATIONS)
    assert all(any(name.startswith(start) for name in names) for start in VIOLATIONS)


@pytest.mark.parametrize("start", VIOLATIONS)
def test_the_contract_holds_on_the_code(graph: grimp.ImportGraph, start: str) -> None:
    assert contract(start).check(copy.deepcopy(graph), verbose=False).kept


@pytest.mark.parametrize(
    ("start", "importer", "imported"),
    [(start, *pair) for start, pairs in VIOLATIONS.items() for pair in pairs],
)
def test_the_contract_breaks_on_a_violation(
    graph: grimp.ImportGraph, start: str, importer: str, imported: str
) -> None:
    assert importer in graph.modules  # a module that exists
    broken = copy.deepcopy(graph)
    broken.add_import(
        importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}"
    )
    check = contract(start).check(broken, verbose=False)
    assert not check.kept
    # The report names the importer that broke it.
    assert importer.rsplit(".", 1)[0] in repr(check.metadata)
