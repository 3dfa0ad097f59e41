"""The public API across processes: what one process changes, another reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import relationship_mgmt as rm


def test_setup_changed_in_one_process_is_read_back_by_another(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    writer = (
        "import relationship_mgmt as rm\n"
        f"with rm.open({url!r}) as crm:\n"
        "    crm.setup.use_default_number_series()\n"
        "    crm.setup.add_record(rm.Territory(code='NORTH', description='North'))\n"
        "    crm.setup.change(default_territory_code='north', search_hit_pct=72,\n"
        "                     default_task_date_formula='CM+1D')\n"
        "    print(crm.setup.next_number('CONT'))\n"
    )

    drawn = subprocess.run(
        [sys.executable, "-c", writer],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.strip()

    with rm.open(url) as crm:
        setup = crm.setup.get()
        next_contact = crm.setup.next_number("CONT")
    assert drawn == "CT000001"
    assert next_contact == "CT000002"
    assert (setup.default_territory_code, setup.search_hit_pct) == ("NORTH", 72)
    assert str(setup.default_task_date_formula) == "CM+1D"
    assert setup.contact_nos == "CONT"
