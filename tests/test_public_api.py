from __future__ import annotations

import importlib
import subprocess
import sys
from importlib.metadata import files, version
from pathlib import Path

import pytest

import relationship_mgmt as rm

_PUBLIC_MODULES = [
    "relationship_mgmt",
    "relationship_mgmt.errors",
    "relationship_mgmt.serialization",
    "relationship_mgmt.ports",
    "relationship_mgmt.services",
    "relationship_mgmt.testing",
    "relationship_mgmt.domain.campaigns",
    "relationship_mgmt.domain.codes",
    "relationship_mgmt.domain.contacts",
    "relationship_mgmt.domain.criteria_index",
    "relationship_mgmt.domain.dateformula",
    "relationship_mgmt.domain.duplicates",
    "relationship_mgmt.domain.email_logging",
    "relationship_mgmt.domain.interactions",
    "relationship_mgmt.domain.mailmerge",
    "relationship_mgmt.domain.money",
    "relationship_mgmt.domain.numbering",
    "relationship_mgmt.domain.opportunities",
    "relationship_mgmt.domain.profiles",
    "relationship_mgmt.domain.salespeople",
    "relationship_mgmt.domain.segment_actions",
    "relationship_mgmt.domain.setup",
    "relationship_mgmt.domain.tasks",
    "relationship_mgmt.interop.email",
    "relationship_mgmt.interop.icalendar",
    "relationship_mgmt.ports.delivery",
    "relationship_mgmt.adapters.delivery",
    "relationship_mgmt.adapters.mailmerge",
    "relationship_mgmt.services.email_logging",
]


@pytest.mark.parametrize("name", _PUBLIC_MODULES)
def test_all_is_sorted_and_every_name_resolves(name: str) -> None:
    module = importlib.import_module(name)
    exported: list[str] = module.__all__

    assert exported == sorted(exported)
    for attr in exported:
        assert hasattr(module, attr), f"{name}.{attr}"


def test_version_matches_the_distribution_metadata() -> None:
    assert rm.__version__ == version("relationship-mgmt")


def test_py_typed_ships_with_the_package() -> None:
    shipped = {str(f) for f in files("relationship-mgmt") or []}
    installed_as_editable = not any(f.endswith("__init__.py") for f in shipped)
    if installed_as_editable:
        import relationship_mgmt

        assert (Path(relationship_mgmt.__file__).parent / "py.typed").is_file()
    else:
        assert "relationship_mgmt/py.typed" in shipped


def test_the_issue_names_are_public() -> None:
    for name in ("open", "calc_date", "Crm", "DateFormula", "Money", "NumberSeries"):
        assert name in rm.__all__


def test_calc_date_from_the_command_line() -> None:
    code = (
        "import relationship_mgmt as rm; "
        "print(rm.calc_date('CM+1D', __import__('datetime').date(2026,2,10)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "2026-03-01"
