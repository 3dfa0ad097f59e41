"""Model-based test: random use-case sequences on every adapter agree with a dict model.

Rules draw numbers (committed or rolled back), write stale copies, add and remove
code-table rows, change the setup, and add, change and remove contacts; after every
step an invariant compares what the adapter stores with the model (reliability.md
B.5 #2).
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy.schema import CreateSchema, DropSchema

from relationship_mgmt.adapters.memory import in_memory_uow_factory
from relationship_mgmt.adapters.sql import SqlDatabase, open_database
from relationship_mgmt.domain.codes import ContactNo, NoSeriesCode
from relationship_mgmt.domain.contacts import Contact
from relationship_mgmt.domain.numbering import NumberSeries
from relationship_mgmt.domain.setup import IndustryGroup, RelationshipSetup, Territory
from relationship_mgmt.errors import AlreadyExistsError, ConcurrencyError, NotFoundError
from relationship_mgmt.ports import UnitOfWorkFactory

_DAY = date(2026, 3, 2)
_SERIES = st.sampled_from(["A", "B", "C"])
_CODES = st.sampled_from(["RETAIL", "AUTO", "FOOD"])
_CONTACTS = st.sampled_from(["CT1", "CT2", "CT3"])
_NAMES = st.sampled_from(["Cronus", "Fabrikam", "Litware"])
_NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _clear(factory: UnitOfWorkFactory) -> None:
    with factory() as uow:
        # Answers before their contacts, persons before their companies.
        contacts = uow.contacts.find_all()
        for contact in contacts:
            for answer in uow.contact_profile_answers.find_by_contact(contact.no):
                uow.contact_profile_answers.remove(*answer.key)
        for contact in sorted(contacts, key=lambda c: c.type.value, reverse=True):
            uow.contacts.remove(contact.no)
        for series in uow.number_series.find_all():
            uow.number_series.remove(series.code)
        for kind in (IndustryGroup, Territory):
            for record in uow.code_tables.find_all(kind):
                uow.code_tables.remove(kind, *record.key)
        uow.commit()


class StorageMachine(RuleBasedStateMachine):
    """Drives one adapter; subclasses name how to get a (cleared) store."""

    make_factory: Callable[[], UnitOfWorkFactory]

    def __init__(self) -> None:
        super().__init__()
        self.factory = type(self).make_factory()
        _clear(self.factory)
        with self.factory() as uow:
            setup = uow.setup.get()
        self.setup_version = setup.version
        self.hit_pct = setup.search_hit_pct
        self.series: dict[
            str, tuple[str | None, int]
        ] = {}  # code -> (last no., version)
        self.groups: set[str] = set()
        self.stale: list[NumberSeries] = []
        self.contacts: dict[str, tuple[str, int, frozenset[str]]] = {}

    @rule(code=_SERIES)
    def add_series(self, code: str) -> None:
        with self.factory() as uow:
            if code in self.series:
                with pytest.raises(AlreadyExistsError):
                    uow.number_series.add(
                        NumberSeries(code=code, starting_no=f"{code}001")
                    )
                return
            uow.number_series.add(NumberSeries(code=code, starting_no=f"{code}001"))
            uow.commit()
        self.series[code] = (None, 1)

    @precondition(lambda self: bool(self.series))
    @rule(data=st.data(), commit=st.booleans())
    def draw(self, data: st.DataObject, *, commit: bool) -> None:
        code = data.draw(st.sampled_from(sorted(self.series)))
        with self.factory() as uow:
            series = uow.number_series.get_for_update(NoSeriesCode(code))
            self.stale.append(uow.number_series.get(NoSeriesCode(code)))
            number = series.draw(on=_DAY)
            uow.number_series.update(series)
            if commit:
                uow.commit()
        if commit:
            last, version = self.series[code]
            expected = (
                f"{code}001" if last is None else f"{code}{int(last[1:]) + 1:03d}"
            )
            assert number == expected
            self.series[code] = (number, version + 1)

    @precondition(lambda self: bool(self.stale))
    @rule(data=st.data())
    def write_a_stale_copy(self, data: st.DataObject) -> None:
        stale = data.draw(st.sampled_from(self.stale))
        known = self.series.get(stale.code)
        with self.factory() as uow:
            if known is None:
                with pytest.raises(NotFoundError):
                    uow.number_series.update(stale)
            elif known[1] != stale.version:
                with pytest.raises(ConcurrencyError):
                    uow.number_series.update(stale)
            else:
                return  # not stale after all (its draw was rolled back)

    @precondition(lambda self: bool(self.series))
    @rule(data=st.data())
    def remove_series(self, data: st.DataObject) -> None:
        code = data.draw(st.sampled_from(sorted(self.series)))
        with self.factory() as uow:
            uow.number_series.remove(NoSeriesCode(code))
            uow.commit()
        del self.series[code]

    @rule(code=_CODES, commit=st.booleans())
    def toggle_group(self, code: str, *, commit: bool) -> None:
        with self.factory() as uow:
            if code in self.groups:
                uow.code_tables.remove(IndustryGroup, code)
            else:
                uow.code_tables.add(IndustryGroup(code=code))
            if commit:
                uow.commit()
        if commit:
            self.groups ^= {code}

    @rule(pct=st.integers(1, 100), commit=st.booleans())
    def change_setup(self, pct: int, *, commit: bool) -> None:
        with self.factory() as uow:
            setup = uow.setup.get()
            setup.change(search_hit_pct=pct)
            uow.setup.save(setup)
            if commit:
                uow.commit()
        if commit:
            self.setup_version += 1
            self.hit_pct = pct

    @rule(no=_CONTACTS, name=_NAMES, group=_CODES)
    def add_contact(self, no: str, name: str, group: str) -> None:
        contact = Contact.create_company(
            no=no,
            name=name,
            now=_NOW,
            setup=RelationshipSetup(),
            mailing_groups={group},
        )
        with self.factory() as uow:
            if no in self.contacts:
                with pytest.raises(AlreadyExistsError):
                    uow.contacts.add(contact)
                return
            uow.contacts.add(contact)
            uow.commit()
        self.contacts[no] = (name, 1, frozenset({group}))

    @precondition(lambda self: bool(self.contacts))
    @rule(data=st.data(), name=_NAMES, group=_CODES, commit=st.booleans())
    def change_contact(
        self, data: st.DataObject, name: str, group: str, *, commit: bool
    ) -> None:
        no = data.draw(st.sampled_from(sorted(self.contacts)))
        with self.factory() as uow:
            contact = uow.contacts.get(ContactNo(no))
            contact.edit(name=name, mailing_groups={group}, now=_NOW)
            uow.contacts.update(contact)
            if commit:
                uow.commit()
        if commit:
            self.contacts[no] = (name, self.contacts[no][1] + 1, frozenset({group}))

    @precondition(lambda self: bool(self.contacts))
    @rule(data=st.data())
    def remove_contact(self, data: st.DataObject) -> None:
        no = data.draw(st.sampled_from(sorted(self.contacts)))
        with self.factory() as uow:
            uow.contacts.remove(ContactNo(no))
            uow.commit()
        del self.contacts[no]

    @invariant()
    def storage_agrees_with_the_model(self) -> None:
        with self.factory() as uow:
            stored = {
                s.code: (s.last_no_used, s.version)
                for s in uow.number_series.find_all()
            }
            groups = {g.code for g in uow.code_tables.find_all(IndustryGroup)}
            setup: RelationshipSetup = uow.setup.get()
            contacts = {
                c.no: (c.name, c.version, c.mailing_groups)
                for c in uow.contacts.find_all()
            }
        assert stored == self.series
        assert contacts == self.contacts
        assert groups == self.groups
        assert (setup.version, setup.search_hit_pct) == (
            self.setup_version,
            self.hit_pct,
        )


_STATEFUL = settings(stateful_step_count=25)


def _memory() -> UnitOfWorkFactory:
    return in_memory_uow_factory()


_databases: dict[str, SqlDatabase] = {}


def _shared(name: str, opener: Callable[[], SqlDatabase]) -> UnitOfWorkFactory:
    if name not in _databases:
        _databases[name] = opener()
    return _databases[name].unit_of_work


@pytest.fixture(scope="module", autouse=True)
def _dispose_databases() -> Iterator[None]:
    yield
    for database in _databases.values():
        database.dispose()
    _databases.clear()


@_STATEFUL
class MemoryMachine(StorageMachine):
    make_factory = staticmethod(_memory)


@_STATEFUL
class SqliteMemoryMachine(StorageMachine):
    make_factory = staticmethod(
        lambda: _shared("sqlite-memory", lambda: open_database("sqlite://"))
    )


_tmp = Path(tempfile.mkdtemp(prefix="rm-stateful-"))


@_STATEFUL
class SqliteFileMachine(StorageMachine):
    make_factory = staticmethod(
        lambda: _shared(
            "sqlite-file", lambda: open_database(f"sqlite:///{_tmp / 'crm.db'}")
        )
    )


TestMemoryStateful = MemoryMachine.TestCase
TestSqliteMemoryStateful = SqliteMemoryMachine.TestCase
TestSqliteFileStateful = SqliteFileMachine.TestCase


@pytest.mark.postgres
def test_postgres_stateful(postgres_url: str) -> None:
    schema = f"rm_t_{secrets.token_hex(6)}"
    admin = sqlalchemy.create_engine(postgres_url)
    with admin.begin() as connection:
        connection.execute(CreateSchema(schema))
    database = open_database(postgres_url, schema=schema)
    try:

        @_STATEFUL
        class PostgresMachine(StorageMachine):
            make_factory = staticmethod(lambda: database.unit_of_work)

        PostgresMachine.TestCase().runTest()
    finally:
        database.dispose()
        with admin.begin() as connection:
            connection.execute(DropSchema(schema, cascade=True))
        admin.dispose()
