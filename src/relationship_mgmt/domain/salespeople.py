"""Salespeople/purchasers and teams (spec §8).

:class:`Salesperson` is BC's *Salesperson/Purchaser* (table 13) with the fields
Relationship Management uses; :class:`Team` is table 5083 with its members (table
5084, *Team Salesperson*) kept on the team as a sorted tuple of codes. Territories
(table 286) are a code table: :class:`~relationship_mgmt.domain.setup.Territory`.

Every other area asks :meth:`Salesperson.ensure_assignable` before putting a
salesperson on a contact, opportunity, segment, task or campaign, and
:func:`default_salesperson` for the code a new record starts with. The deletion rules
are pure functions (:func:`check_salesperson_deletion`, :func:`check_team_deletion`)
that the service calls with counts it reads from storage. FlowFields (Next Task Date,
opportunity and interaction statistics) are queries on the ports, not fields here.

>>> ann = Salesperson(code="ap", name="Annette Hill", email="Annette@Cronus.EXAMPLE")
>>> (ann.code, ann.search_email, ann.can_organize_meetings)
('AP', 'ANNETTE@CRONUS.EXAMPLE', True)
>>> ann.change(blocked=True)
>>> ann.ensure_assignable("opportunity")
Traceback (most recent call last):
...
relationship_mgmt.errors.SalespersonBlockedError: salesperson 'AP' is blocked and cannot be chosen for opportunity
>>> team = Team(code="sales", name="Sales")
>>> team.add_member("ap")
>>> team.members
('AP',)

Personal fields (the e-mails and the phone number) carry
``metadata={"classification": "personal"}`` and are left out of ``repr`` and of error
values, as on contacts; every other field is classified ``"normal"``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Final, cast

import attrs
from attrs import define, field

from relationship_mgmt.domain._aggregate import AggregateRoot, copy_sharing_fields
from relationship_mgmt.domain._fields import normalise_emails
from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    Code,
    SalespersonCode,
    make_code,
    make_optional_code,
)
from relationship_mgmt.errors import (
    InUseError,
    NotFoundError,
    SalespersonBlockedError,
    ValidationError,
)

__all__ = [
    "Salesperson",
    "SalespersonRefusal",
    "Team",
    "check_salesperson_deletion",
    "check_team_deletion",
    "default_salesperson",
]

_PERSONAL: Final = {"classification": "personal"}
_NORMAL: Final = {"classification": "normal"}

_NAME_LENGTH: Final = 50
_JOB_TITLE_LENGTH: Final = 30
_EMAIL_LENGTH: Final = 80
_PHONE_LENGTH: Final = 30
_MAX_COMMISSION: Final = Decimal(100)


class SalespersonRefusal(enum.StrEnum):
    """Why BC refuses to assign or delete a salesperson or a team (§8, §2.15).

    The values are the ``reason`` of :class:`~relationship_mgmt.errors.SalespersonBlockedError`
    and the ``used_by`` of :class:`~relationship_mgmt.errors.InUseError`.

    >>> SalespersonRefusal.PRIVACY_BLOCKED == "privacy blocked"
    True
    """

    BLOCKED = "blocked"
    PRIVACY_BLOCKED = "privacy blocked"
    OPEN_TASKS = "open tasks"
    OPEN_OPPORTUNITIES = "open opportunities"
    OPEN_TEAM_TASKS = "open team tasks"


# --- field helpers -------------------------------------------------------------------


def _text(
    length: int, *, personal: bool, no_letters: bool = False
) -> Callable[[object, attrs.Attribute[str], object], None]:
    """Validator for BC ``Text[length]``; personal values are not echoed in errors."""

    def check(_: object, attribute: attrs.Attribute[str], value: object) -> None:
        shown = None if personal else value
        if not isinstance(value, str):
            raise ValidationError(attribute.name, shown, "must be a string")
        if len(value) > length:
            raise ValidationError(
                attribute.name, shown, f"is longer than {length} characters"
            )
        if no_letters and any(char.isalpha() for char in value):
            # §2.16: BC's "must not contain letters".
            raise ValidationError(attribute.name, None, "must not contain letters")

    return check


def _ntext(length: int) -> str:
    """A non-personal ``Text[length]`` field."""
    return field(default="", validator=_text(length, personal=False), metadata=_NORMAL)


def _bool(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(attribute.name, value, "must be true or false")


def _flag() -> bool:
    return field(default=False, validator=_bool, metadata=_NORMAL)


def _email(name: str) -> str:
    def convert(value: object) -> str:
        return normalise_emails(name, value)

    return field(
        default="",
        converter=convert,
        validator=_text(_EMAIL_LENGTH, personal=True),
        repr=False,
        metadata=_PERSONAL,
    )


def _salesperson_code(value: object) -> SalespersonCode:
    if not isinstance(value, str):
        raise ValidationError("code", value, "must be a string")
    code = make_code(value, max_length=CODE20, field="code")
    if not code:
        raise ValidationError("code", value, "must not be blank")
    return SalespersonCode(code)


def _team_code(value: object) -> Code:
    if not isinstance(value, str):
        raise ValidationError("code", value, "must be a string")
    code = make_code(value, max_length=CODE10, field="code")
    if not code:
        raise ValidationError("code", value, "must not be blank")
    return code


def _optional_code20(name: str) -> Callable[[object], Code | None]:
    def convert(value: object) -> Code | None:
        if value is not None and not isinstance(value, str):
            raise ValidationError(name, value, "must be a string")
        return make_optional_code(value, max_length=CODE20, field=name)

    return convert


def _global_dimension_1_code(value: object) -> Code | None:
    return _optional_code20("global_dimension_1_code")(value)


def _global_dimension_2_code(value: object) -> Code | None:
    return _optional_code20("global_dimension_2_code")(value)


def _commission_pct(value: object) -> Decimal:
    """BC's ``Commission %``: a Decimal from 0 to 100 (floats lose digits: refused)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ValidationError(
            "commission_pct", value, "must be a Decimal, an int or a string"
        )
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValidationError("commission_pct", value, "is not a number") from None
    if not number.is_finite() or not 0 <= number <= _MAX_COMMISSION:
        raise ValidationError("commission_pct", value, "must be from 0 to 100")
    return number


def _member(value: object) -> SalespersonCode:
    if not isinstance(value, str):
        raise ValidationError("salesperson_code", value, "must be a string")
    code = make_code(value, max_length=CODE20, field="salesperson_code")
    if not code:
        raise ValidationError("salesperson_code", value, "must not be blank")
    return SalespersonCode(code)


def _members(value: object) -> tuple[SalespersonCode, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError("members", value, "must be a collection of codes")
    codes = [_member(item) for item in cast("Iterable[object]", value)]
    for code in codes:
        if codes.count(code) > 1:
            raise ValidationError("members", code, "is listed twice")
    return tuple(sorted(codes))


# --- Salesperson/Purchaser (table 13) ------------------------------------------------


@define(kw_only=True)
class Salesperson(AggregateRoot):
    """A salesperson or purchaser, the RM-relevant fields of BC's table 13 (§8).

    ``code`` is the key (``Code[20]``, not blank) and cannot be changed. Change the
    other fields with :meth:`change`. The e-mails are syntax-checked and normalised
    like the contact's (§2.16); a ``;`` list of addresses is allowed. The phone number
    must not contain letters. ``search_email`` is derived, never stored.

    >>> Salesperson(code=" jo ", commission_pct="2.5").commission_pct
    Decimal('2.5')
    >>> Salesperson(code="JO", phone_no="+44 20 7946 0000")
    Salesperson(version=0, code='JO', name='', job_title='', commission_pct=Decimal('0'), privacy_blocked=False, blocked=False, global_dimension_1_code=None, global_dimension_2_code=None)
    """

    kind: ClassVar[str] = "salesperson"

    code: SalespersonCode = field(converter=_salesperson_code, metadata=_NORMAL)
    name: str = _ntext(_NAME_LENGTH)
    job_title: str = _ntext(_JOB_TITLE_LENGTH)
    commission_pct: Decimal = field(
        default=Decimal(0), converter=_commission_pct, metadata=_NORMAL
    )
    email: str = _email("email")
    email_2: str = _email("email_2")
    phone_no: str = field(
        default="",
        validator=_text(_PHONE_LENGTH, personal=True, no_letters=True),
        repr=False,
        metadata=_PERSONAL,
    )
    privacy_blocked: bool = _flag()
    blocked: bool = _flag()
    global_dimension_1_code: Code | None = field(
        default=None,
        converter=_global_dimension_1_code,
        metadata=_NORMAL,
    )
    global_dimension_2_code: Code | None = field(
        default=None,
        converter=_global_dimension_2_code,
        metadata=_NORMAL,
    )

    def __deepcopy__(self, memo: dict[int, object]) -> Salesperson:
        """Copy it, sharing its fields: every one holds an immutable value."""
        return copy_sharing_fields(self, memo)

    @property
    def search_email(self) -> str:
        """The upper-cased e-mail, kept in step with it, as on the contact (§8, §2.16).

        >>> Salesperson(code="JO", email="jo@example.com").search_email
        'JO@EXAMPLE.COM'
        """
        return self.email.upper()

    @property
    def can_organize_meetings(self) -> bool:
        """Whether the salesperson has an e-mail, needed to organize meetings (§7.5, §8).

        BC also needs it to log e-mails (§3). Services check this before making the
        salesperson the organizer of a meeting that sends invitations.

        >>> Salesperson(code="JO").can_organize_meetings
        False
        """
        return bool(self.email)

    def ensure_assignable(self, purpose: str) -> None:
        """Refuse to put a blocked or privacy-blocked salesperson on a record (§8, §2.15).

        Other areas call this before assigning the salesperson to a contact (§2.16),
        opportunity, segment, task, campaign or interaction. *Privacy Blocked* is
        checked first: BC says such a salesperson "cannot be assigned to contacts or
        records" at all, the wider of the two rules, and it is the reason the user must
        not overlook (a privacy-blocked salesperson is usually also blocked, and
        unblocking alone would not help).

        Args:
            purpose: What the salesperson is chosen for, reported in the error
                (``"contact"``, ``"task"`` ...).

        Raises:
            SalespersonBlockedError: ``reason`` is ``"privacy blocked"`` or
                ``"blocked"`` (a :class:`SalespersonRefusal`).

        >>> Salesperson(code="JO").ensure_assignable("task")
        """
        if self.privacy_blocked:
            raise SalespersonBlockedError(
                self.code, purpose, SalespersonRefusal.PRIVACY_BLOCKED
            )
        if self.blocked:
            raise SalespersonBlockedError(
                self.code, purpose, SalespersonRefusal.BLOCKED
            )

    def change(self, **changes: object) -> None:
        """Change one or more fields, validated as a whole before anything changes (§8).

        ``code`` is the key and ``version`` belongs to persistence: neither can be
        changed here. Blocking is ``change(blocked=True)``; it does not touch records
        the salesperson is already on.

        Args:
            **changes: Field names and their new values.

        Raises:
            ValidationError: An unknown or unchangeable field, or a value a field
                refuses (values of personal fields are not echoed); nothing was
                changed.

        >>> jo = Salesperson(code="JO")
        >>> jo.change(name="Jo Smith", email="JO@example.com", privacy_blocked=True)
        >>> (jo.name, jo.email, jo.privacy_blocked)
        ('Jo Smith', 'JO@example.com', True)
        """
        names = self.field_names()
        for name in changes:
            if name not in names:
                # The value may be personal data sent under a mistyped name.
                raise ValidationError(
                    name, None, "is not a changeable salesperson field"
                )
        # Every converter and validator raises ValidationError, so this either builds
        # a valid copy or changes nothing.
        checked = attrs.evolve(self, **cast("dict[str, Any]", changes))
        for name in changes:
            setattr(self, name, getattr(checked, name))

    @classmethod
    def field_names(cls) -> frozenset[str]:
        """Return the names :meth:`change` accepts (every field but the key).

        >>> sorted(Salesperson.field_names())[:3]
        ['blocked', 'commission_pct', 'email']
        """
        return frozenset(
            a.name
            for a in attrs.fields(cls)
            if a.init and a.name not in {"version", "code"}
        )


# --- Team (5083) and Team Salesperson (5084) ----------------------------------------


@define(kw_only=True)
class Team(AggregateRoot):
    """A team of salespeople (tables 5083 and 5084, §8).

    ``members`` holds the codes of the *Team Salesperson* rows: each at most once
    (the table's key is Team Code + Salesperson Code), sorted, so equality and the
    stored form do not depend on the order members were added. Team tasks create one
    organizer sub-task per member (§7.5). The names of the team and of the
    salespeople are FlowFields in BC, so nothing but the codes is kept.

    >>> Team(code="north", members=["jo", "ap"]).members
    ('AP', 'JO')
    """

    kind: ClassVar[str] = "team"

    code: Code = field(converter=_team_code, metadata=_NORMAL)
    name: str = _ntext(_NAME_LENGTH)
    members: tuple[SalespersonCode, ...] = field(
        default=(), converter=_members, metadata=_NORMAL
    )

    def __deepcopy__(self, memo: dict[int, object]) -> Team:
        """Copy it, sharing its fields: every one holds an immutable value."""
        return copy_sharing_fields(self, memo)

    def rename(self, name: str) -> None:
        """Give the team a new name (``Text[50]``, §8).

        Raises:
            ValidationError: ``name`` is not a string or is longer than 50.

        >>> team = Team(code="north")
        >>> team.rename("North")
        >>> team.name
        'North'
        """
        self.name = name

    def add_member(self, salesperson_code: str) -> None:
        """Add a salesperson to the team (a Team Salesperson row, §8).

        The service checks that the salesperson exists. Adding a member twice is
        refused, as BC refuses a second row with the same key, rather than ignored:
        a caller that expects to add someone learns that nothing happened.

        Args:
            salesperson_code: The salesperson's code (normalised as ``Code[20]``).

        Raises:
            ValidationError: The code is blank, too long, or already a member.

        >>> team = Team(code="north", members=["AP"])
        >>> team.add_member("ap")
        Traceback (most recent call last):
        ...
        relationship_mgmt.errors.ValidationError: salesperson_code: is already a member of team 'NORTH' (got 'AP')
        """
        code = _member(salesperson_code)
        if code in self.members:
            raise ValidationError(
                "salesperson_code", code, f"is already a member of team {self.code!r}"
            )
        self.members = (*self.members, code)

    def remove_member(self, salesperson_code: str) -> None:
        """Take a salesperson off the team (delete the Team Salesperson row, §8).

        Args:
            salesperson_code: The salesperson's code.

        Raises:
            NotFoundError: The salesperson is not a member (``kind`` is
                ``"team member"``, ``key`` is (team code, salesperson code)).
            ValidationError: The code is blank or too long.

        >>> team = Team(code="north", members=["AP", "JO"])
        >>> team.remove_member("ap")
        >>> team.members
        ('JO',)
        """
        code = _member(salesperson_code)
        if code not in self.members:
            raise NotFoundError("team member", (self.code, code))
        self.members = tuple(member for member in self.members if member != code)


# --- deletion rules (§8) -------------------------------------------------------------


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(name, value, "must be a non-negative integer")
    return value


def check_salesperson_deletion(
    code: str, *, open_tasks: int, open_opportunities: int
) -> None:
    """Refuse to delete a salesperson BC would not delete (§8).

    BC: "You cannot delete the salesperson/purchaser with code %1 because it has open
    tasks." (tasks with Closed = false), then the same for open opportunities (Closed
    = false). When nothing refuses, the service deletes the salesperson's team
    memberships (:meth:`Team.remove_member` on every team that has it) and default
    dimensions in the same unit of work.

    Args:
        code: The salesperson's code.
        open_tasks: How many tasks with this salesperson are not closed.
        open_opportunities: How many opportunities with this salesperson are not
            closed.

    Raises:
        InUseError: ``kind`` is ``"salesperson"``; ``used_by`` is ``"open tasks"``
            or ``"open opportunities"`` (a :class:`SalespersonRefusal`), tasks first.
        ValidationError: A count is not a non-negative integer.

    >>> check_salesperson_deletion("JO", open_tasks=0, open_opportunities=2)
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.InUseError: salesperson 'JO' is in use by open opportunities
    """
    for count, reason in (
        (_count("open_tasks", open_tasks), SalespersonRefusal.OPEN_TASKS),
        (
            _count("open_opportunities", open_opportunities),
            SalespersonRefusal.OPEN_OPPORTUNITIES,
        ),
    ):
        if count:
            raise InUseError(Salesperson.kind, code, reason)


def check_team_deletion(code: str, *, open_team_tasks: int) -> None:
    """Refuse to delete a team that still has open team tasks (§8; unverified, §12).

    When nothing refuses, the team's members go with it (they live on the team).

    Args:
        code: The team's code.
        open_team_tasks: How many tasks with this Team Code are not closed.

    Raises:
        InUseError: ``kind`` is ``"team"`` and ``used_by`` is ``"open team tasks"``.
        ValidationError: The count is not a non-negative integer.

    >>> check_team_deletion("NORTH", open_team_tasks=0)
    """
    if _count("open_team_tasks", open_team_tasks):
        raise InUseError(Team.kind, code, SalespersonRefusal.OPEN_TEAM_TASKS)


# --- defaults ------------------------------------------------------------------------


def default_salesperson(
    *,
    explicit: str | None = None,
    user_setup: str | None = None,
    contact: str | None = None,
    setup_default: str | None = None,
) -> SalespersonCode | None:
    """Return the salesperson code a new record starts with: the first non-blank one.

    The order is ``explicit`` (what the caller gave), ``user_setup`` (the user's
    *User Setup* ``Salespers./Purch. Code``), ``contact`` (the contact's salesperson)
    and ``setup_default`` (Marketing Setup's Default Salesperson Code). Pass only the
    candidates BC uses for the record:

    * new contacts (§2.4, §8): ``explicit``, ``user_setup``, ``setup_default`` — the
      user's code overrides the Marketing Setup default;
    * segments, opportunities, campaigns and tasks (§8): ``explicit``, ``user_setup``;
    * interactions and segment lines (§3.4, §4.3): ``explicit`` (the header's, or the
      salesperson the wizard started from), then ``contact``.

    The result is a normalised ``Code[20]``; it is not checked for blocking, which is
    :meth:`Salesperson.ensure_assignable`'s job once the service has loaded it.

    Raises:
        ValidationError: A candidate is not a string or ``None``.
        CodeTooLongError: A candidate is longer than 20 characters.

    >>> default_salesperson(explicit=" ", user_setup="jo", setup_default="AP")
    'JO'
    >>> default_salesperson(setup_default=None) is None
    True
    """
    for name, value in (
        ("explicit", explicit),
        ("user_setup", user_setup),
        ("contact", contact),
        ("setup_default", setup_default),
    ):
        code = _optional_code20(name)(value)
        if code is not None:
            return SalespersonCode(code)
    return None
