"""Salespeople/purchasers and teams (§8): ``crm.salespeople``.

>>> import relationship_mgmt as rm
>>> crm = rm.open()
>>> crm.salespeople.create("jo", name="Jo Smith", email="jo@cronus.example").code
'JO'
>>> crm.salespeople.create_team("north", name="North", members=["jo"]).members
('JO',)
>>> [t.code for t in crm.salespeople.teams_of("jo")]
['NORTH']
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable

from relationship_mgmt.domain._fields import check_field_names
from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    Code,
    SalespersonCode,
    make_code,
)
from relationship_mgmt.domain.salespeople import (
    Salesperson,
    Team,
    check_salesperson_deletion,
    check_team_deletion,
)
from relationship_mgmt.ports.unit_of_work import UnitOfWorkFactory

__all__ = ["SalespersonService"]


def _salesperson_code(code: str) -> SalespersonCode:
    return SalespersonCode(make_code(code, max_length=CODE20, field="salesperson_code"))


def _team_code(code: str) -> Code:
    return make_code(code, max_length=CODE10, field="team_code")


class SalespersonService:
    """Salespeople and teams (§8): one method, one unit of work.

    Args:
        uow_factory: Makes a unit of work per use case.
    """

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    # --- salespeople -------------------------------------------------------------------

    def create(self, code: str, **fields: object) -> Salesperson:
        """Create a salesperson/purchaser (table 13).

        Args:
            code: Its code (``Code[20]``).
            **fields: Other fields of :class:`~relationship_mgmt.domain.salespeople.Salesperson`.

        Raises:
            ValidationError: A field refused its value.
            AlreadyExistsError: The code is taken.
            PersistenceError: The storage failed.
        """
        check_field_names(Salesperson, fields)
        salesperson = Salesperson(code=code, **fields)  # type: ignore[arg-type]
        with self._uow_factory() as uow:
            uow.salespeople.add(salesperson)
            uow.commit()
        return salesperson

    def get(self, code: str) -> Salesperson:
        """Return the salesperson ``code``.

        Raises:
            NotFoundError: No such salesperson.
        """
        key = _salesperson_code(code)
        with self._uow_factory() as uow:
            return uow.salespeople.get(key)

    def list(self) -> builtins.list[Salesperson]:
        """Return every salesperson, ordered by code."""
        with self._uow_factory() as uow:
            return uow.salespeople.find_all()

    def change(self, code: str, **changes: object) -> Salesperson:
        """Change fields of a salesperson, all or nothing (blocking included).

        Raises:
            NotFoundError: No such salesperson.
            ValidationError: An unknown field or a refused value; nothing changed.
            ConcurrencyError: Changed meanwhile; retry.
        """
        key = _salesperson_code(code)
        with self._uow_factory() as uow:
            salesperson = uow.salespeople.get(key)
            salesperson.change(**changes)
            uow.salespeople.update(salesperson)
            uow.commit()
        return salesperson

    def delete(self, code: str) -> None:
        """Delete a salesperson and its team memberships (§8).

        BC refuses while the salesperson has open tasks (Closed = false, of any
        System To-do Type) or open opportunities; opportunities are not stored
        yet, so only open tasks refuse today.

        Raises:
            NotFoundError: No such salesperson.
            InUseError: Open tasks or opportunities.
        """
        key = _salesperson_code(code)
        with self._uow_factory() as uow:
            uow.salespeople.get(key)
            check_salesperson_deletion(
                key,
                open_tasks=uow.tasks.count_open(salesperson_code=key),
                open_opportunities=0,
            )
            for team in uow.teams.teams_of(key):
                team.remove_member(key)
                uow.teams.update(team)
            uow.salespeople.remove(key)
            uow.commit()

    # --- teams -------------------------------------------------------------------------

    def create_team(
        self, code: str, *, name: str = "", members: Iterable[str] = ()
    ) -> Team:
        """Create a team (table 5083) with its members (table 5084).

        Raises:
            ValidationError: A refused value, or a member given twice.
            NotFoundError: A member that is not a salesperson.
            AlreadyExistsError: The code is taken.
        """
        team = Team(code=code, name=name, members=tuple(members))
        with self._uow_factory() as uow:
            for member in team.members:
                uow.salespeople.get(member)
            uow.teams.add(team)
            uow.commit()
        return team

    def get_team(self, code: str) -> Team:
        """Return the team ``code``.

        Raises:
            NotFoundError: No such team.
        """
        key = _team_code(code)
        with self._uow_factory() as uow:
            return uow.teams.get(key)

    def teams(self) -> builtins.list[Team]:
        """Return every team, ordered by code."""
        with self._uow_factory() as uow:
            return uow.teams.find_all()

    def teams_of(self, code: str) -> builtins.list[Team]:
        """Return the teams the salesperson ``code`` belongs to, ordered by code."""
        key = _salesperson_code(code)
        with self._uow_factory() as uow:
            return uow.teams.teams_of(key)

    def add_member(self, team_code: str, salesperson_code: str) -> Team:
        """Add a salesperson to a team.

        Raises:
            NotFoundError: No such team or salesperson.
            ValidationError: Already a member.
        """
        key, member = _team_code(team_code), _salesperson_code(salesperson_code)
        with self._uow_factory() as uow:
            team = uow.teams.get(key)
            uow.salespeople.get(member)
            team.add_member(member)
            uow.teams.update(team)
            uow.commit()
        return team

    def remove_member(self, team_code: str, salesperson_code: str) -> Team:
        """Take a salesperson off a team.

        Raises:
            NotFoundError: No such team, or not a member.
        """
        key = _team_code(team_code)
        with self._uow_factory() as uow:
            team = uow.teams.get(key)
            team.remove_member(salesperson_code)
            uow.teams.update(team)
            uow.commit()
        return team

    def delete_team(self, code: str) -> None:
        """Delete a team and its memberships (refused with open team tasks, §8).

        Raises:
            NotFoundError: No such team.
            InUseError: Open tasks with the team's code.
        """
        key = _team_code(code)
        with self._uow_factory() as uow:
            uow.teams.get(key)
            check_team_deletion(
                key, open_team_tasks=uow.tasks.count_open(team_code=key)
            )
            uow.teams.remove(key)
            uow.commit()
