"""Explicit mapping between table rows and domain objects.

Rows are plain mappings of column name to value. Enums are stored as their string
value and date formulas as their canonical text; both come back through the domain
classes' own converters and :meth:`DateFormula.parse`.

>>> from relationship_mgmt.domain.setup import SalutationFormula
>>> row = record_to_row(SalutationFormula(salutation_code="M", names=["Surname"]))
>>> (row["salutation_type"], row["name_1"], row["name_2"])
('Formal', 'Surname', '')
>>> record_from_row(SalutationFormula, row).names[0]
<SalutationName.SURNAME: 'Surname'>

A profile questionnaire maps to one header row, one row per line and one row per
rating point; a line's ``type`` says whether it is a question or an answer, and the
columns of the other kind of line are NULL:

>>> from relationship_mgmt.domain.profiles import ProfileQuestionnaire
>>> q = ProfileQuestionnaire(code="size")
>>> _ = q.add_answer(q.add_question("Employees").line_no, "Few", to_value=49)
>>> rows = questionnaire_to_rows(q)
>>> [(r["line_no"], r["type"], r["to_value"], r["sorting_method"]) for r in rows.lines]
[(10000, 'Question', None, ''), (20000, 'Answer', Decimal('49'), None)]
>>> questionnaire_from_rows(rows.header, rows.lines, rows.rating_points) == q
True

A contact maps to one ``rm_contact`` row (with its derived search e-mail) and one
row per member of each collection:

>>> from datetime import UTC, datetime
>>> from relationship_mgmt.domain.contacts import Contact
>>> from relationship_mgmt.domain.setup import RelationshipSetup
>>> cronus = Contact.create_company(
...     no="CT01", name="Cronus", email="Info@Cronus.example", now=datetime(2026, 1, 5,
...     tzinfo=UTC), setup=RelationshipSetup(), mailing_groups={"news"})
>>> rows = contact_to_rows(cronus)
>>> (rows.contact["company_no"], rows.contact["search_email"], rows.codes)
('CT01', 'INFO@CRONUS.EXAMPLE', {'mailing_groups': [{'contact_no': 'CT01', 'code': 'NEWS'}], 'job_responsibilities': [], 'industry_groups': [], 'business_relations': []})
>>> contact_from_rows(rows.contact, rows.codes, rows.web_sources,
...                   rows.alternative_addresses, rows.periods) == cronus
True
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeVar

import attrs

from relationship_mgmt.adapters.sql.tables import (
    PROFILE_ANSWER_COLUMNS,
    PROFILE_QUESTION_COLUMNS,
    SALUTATION_NAME_COLUMNS,
)
from relationship_mgmt.domain.campaigns import (
    Campaign,
    CampaignEntry,
    CampaignLineDiscountLine,
    CampaignPriceLine,
    PricingLine,
    pricing_line_key,
)
from relationship_mgmt.domain.contacts import (
    Address,
    AlternativeAddress,
    AlternativeAddressPeriod,
    BusinessRelationLink,
    Contact,
)
from relationship_mgmt.domain.criteria import Criteria
from relationship_mgmt.domain.dateformula import DateFormula
from relationship_mgmt.domain.interactions import (
    DocumentKind,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTemplateLanguage,
    InteractionTemplateSetup,
)
from relationship_mgmt.domain.numbering import NumberSeries
from relationship_mgmt.domain.opportunities import (
    Opportunity,
    OpportunityEntry,
    SalesCycle,
    SalesCycleStage,
)
from relationship_mgmt.domain.profiles import (
    ClassField,
    ContactClassField,
    ContactProfileAnswer,
    CustomerClassField,
    ProfileAnswer,
    ProfileLine,
    ProfileQuestion,
    ProfileQuestionnaire,
    RatingPoint,
    VendorClassField,
)
from relationship_mgmt.domain.salespeople import Salesperson, Team
from relationship_mgmt.domain.segments import (
    AddOptions,
    CriteriaAction,
    HistoryRow,
    LoggedSegment,
    SavedCriteria,
    Segment,
    SegmentLine,
)
from relationship_mgmt.domain.setup import RelationshipSetup, SalutationFormula
from relationship_mgmt.domain.tasks import Activity, ActivityStep, Attendee, Task
from relationship_mgmt.ports.repositories import CodeTableRecord
from relationship_mgmt.serialization import dumps, loads

__all__ = [
    "ANSWER",
    "CONTACT_CODE_SETS",
    "QUESTION",
    "ActivityRows",
    "ContactRows",
    "ProfileRows",
    "SalesCycleRows",
    "SavedCriteriaRows",
    "SegmentRows",
    "TemplateRows",
    "activity_from_rows",
    "activity_to_rows",
    "answer_from_row",
    "answer_to_row",
    "campaign_entry_from_row",
    "campaign_entry_to_row",
    "campaign_from_row",
    "campaign_to_row",
    "contact_from_rows",
    "contact_to_rows",
    "entry_from_row",
    "entry_to_row",
    "interaction_setup_from_rows",
    "interaction_setup_to_rows",
    "logged_segment_from_row",
    "logged_segment_to_row",
    "member_rows",
    "opportunity_entry_from_row",
    "opportunity_entry_to_row",
    "opportunity_from_row",
    "opportunity_to_row",
    "pricing_line_from_row",
    "pricing_line_to_row",
    "sales_cycle_from_rows",
    "sales_cycle_to_rows",
    "salesperson_from_row",
    "salesperson_to_row",
    "saved_criteria_from_rows",
    "saved_criteria_to_rows",
    "segment_from_rows",
    "segment_to_rows",
    "team_from_rows",
    "team_to_row",
    "template_from_rows",
    "template_to_rows",
    "questionnaire_from_rows",
    "questionnaire_to_rows",
    "record_from_row",
    "record_to_row",
    "series_from_row",
    "series_to_row",
    "setup_from_row",
    "setup_to_row",
    "task_attendee_from_row",
    "task_attendee_rows",
    "task_from_row",
    "task_to_row",
]

R = TypeVar("R", bound=CodeTableRecord)
Row = Mapping[str, Any]

QUESTION = "Question"
"""``rm_profile_line.type`` of a question."""
ANSWER = "Answer"
"""``rm_profile_line.type`` of an answer."""


def _columns(obj: attrs.AttrsInstance) -> dict[str, object]:
    """Return the init fields of ``obj`` by name, enums as their value."""
    values: dict[str, object] = {}
    for field in attrs.fields(type(obj)):
        if field.init:
            value = getattr(obj, field.name)
            values[field.name] = value.value if isinstance(value, enum.Enum) else value
    return values


def setup_to_row(setup: RelationshipSetup) -> dict[str, object]:
    """Return the ``rm_setup`` columns of ``setup`` (without ``id``)."""
    row = _columns(setup)
    formula = setup.default_task_date_formula
    row["default_task_date_formula"] = None if formula is None else str(formula)
    return row


def setup_from_row(row: Row) -> RelationshipSetup:
    """Rebuild the setup from an ``rm_setup`` row."""
    values = dict(row)
    del values["id"]
    text = values.pop("default_task_date_formula")
    formula = None if text is None else DateFormula.parse(text)
    return RelationshipSetup(**values, default_task_date_formula=formula)


def series_to_row(series: NumberSeries) -> dict[str, object]:
    """Return the ``rm_number_series`` columns of ``series``."""
    return _columns(series)


def series_from_row(row: Row) -> NumberSeries:
    """Rebuild a number series from an ``rm_number_series`` row."""
    return NumberSeries(**row)


def record_to_row(record: CodeTableRecord) -> dict[str, object]:
    """Return the ``rm_<kind>`` columns of a code-table record."""
    row = _columns(record)
    if isinstance(record, SalutationFormula):
        del row["names"]
        row.update(
            zip(SALUTATION_NAME_COLUMNS, (n.value for n in record.names), strict=True)
        )
    return row


def record_from_row(kind: type[R], row: Row) -> R:
    """Rebuild a code-table record of ``kind`` from its row."""
    values = dict(row)
    if kind is SalutationFormula:
        values["names"] = tuple(values.pop(name) for name in SALUTATION_NAME_COLUMNS)
    return kind(**values)


class ProfileRows(NamedTuple):
    """The rows of one profile questionnaire, ready to insert."""

    header: dict[str, object]
    """The ``rm_profile_questionnaire`` row (with ``version``)."""
    lines: list[dict[str, object]]
    """The ``rm_profile_line`` rows, in line order."""
    rating_points: list[dict[str, object]]
    """The ``rm_profile_rating_point`` rows."""


def _formula_text(formula: DateFormula | None) -> str | None:
    return None if formula is None else str(formula)


def _formula(text: str | None) -> DateFormula | None:
    return None if text is None else DateFormula.parse(text)


def _question_columns(question: ProfileQuestion) -> dict[str, object]:
    return {
        "multiple_answers": question.multiple_answers,
        "auto_contact_classification": question.auto_contact_classification,
        "customer_class_field": question.customer_class_field.value,
        "vendor_class_field": question.vendor_class_field.value,
        "contact_class_field": question.contact_class_field.value,
        "starting_date_formula": _formula_text(question.starting_date_formula),
        "ending_date_formula": _formula_text(question.ending_date_formula),
        "classification_method": question.classification_method.value,
        "sorting_method": question.sorting_method.value,
        "no_of_decimals": question.no_of_decimals,
        "min_pct_questions_answered": question.min_pct_questions_answered,
    }


def _line_row(code: str, line: ProfileLine) -> dict[str, object]:
    row: dict[str, object] = {
        "questionnaire_code": code,
        "line_no": line.line_no,
        "description": line.description,
    }
    if isinstance(line, ProfileQuestion):
        row["type"] = QUESTION
        row.update(_question_columns(line))
        row.update(dict.fromkeys(PROFILE_ANSWER_COLUMNS))
    else:
        row["type"] = ANSWER
        row.update(dict.fromkeys(PROFILE_QUESTION_COLUMNS))
        row.update(
            from_value=line.from_value,
            to_value=line.to_value,
            priority=line.priority.value,
        )
    return row


def questionnaire_to_rows(questionnaire: ProfileQuestionnaire) -> ProfileRows:
    """Return the header, line and rating-point rows of ``questionnaire``."""
    code = questionnaire.code
    header: dict[str, object] = {
        "code": code,
        "description": questionnaire.description,
        "contact_type": questionnaire.contact_type.value,
        "business_relation_code": questionnaire.business_relation_code,
        "priority": questionnaire.priority.value,
        "version": questionnaire.version,
    }
    points = [
        {
            "questionnaire_code": code,
            "question_line_no": question.line_no,
            "answer_questionnaire_code": point.questionnaire_code,
            "answer_line_no": point.line_no,
            "points": point.points,
            "position": position,
        }
        for question in questionnaire.questions
        for position, point in enumerate(question.rating_points, start=1)
    ]
    lines = [_line_row(code, line) for line in questionnaire.lines]
    return ProfileRows(header, lines, points)


def _class_field(row: Row) -> ClassField | None:
    for kind, column in (
        (CustomerClassField, "customer_class_field"),
        (VendorClassField, "vendor_class_field"),
        (ContactClassField, "contact_class_field"),
    ):
        if row[column]:
            return kind(row[column])
    return None


def _line(row: Row, points: list[RatingPoint]) -> ProfileLine:
    if row["type"] == ANSWER:
        return ProfileAnswer(
            line_no=row["line_no"],
            description=row["description"],
            from_value=row["from_value"],
            to_value=row["to_value"],
            priority=row["priority"],
        )
    return ProfileQuestion(
        line_no=row["line_no"],
        description=row["description"],
        multiple_answers=row["multiple_answers"],
        auto_contact_classification=row["auto_contact_classification"],
        class_field=_class_field(row),
        starting_date_formula=_formula(row["starting_date_formula"]),
        ending_date_formula=_formula(row["ending_date_formula"]),
        classification_method=row["classification_method"],
        sorting_method=row["sorting_method"],
        no_of_decimals=row["no_of_decimals"],
        min_pct_questions_answered=row["min_pct_questions_answered"],
        rating_points=points,
    )


def questionnaire_from_rows(
    header: Row, lines: Iterable[Row], rating_points: Iterable[Row]
) -> ProfileQuestionnaire:
    """Rebuild a questionnaire from its rows (lines and points in any order)."""
    by_question: dict[int, list[tuple[int, RatingPoint]]] = {}
    for row in rating_points:
        point = RatingPoint(
            questionnaire_code=row["answer_questionnaire_code"],
            line_no=row["answer_line_no"],
            points=row["points"],
        )
        by_question.setdefault(row["question_line_no"], []).append(
            (row["position"], point)
        )
    ordered = sorted(lines, key=lambda row: int(row["line_no"]))
    return ProfileQuestionnaire(
        code=header["code"],
        description=header["description"],
        contact_type=header["contact_type"],
        business_relation_code=header["business_relation_code"],
        priority=header["priority"],
        version=header["version"],
        lines=[
            _line(
                row,
                [
                    point
                    for _, point in sorted(
                        by_question.get(row["line_no"], []), key=lambda item: item[0]
                    )
                ],
            )
            for row in ordered
        ],
    )


CONTACT_CODE_SETS = (
    "mailing_groups",
    "job_responsibilities",
    "industry_groups",
    "business_relations",
)
"""The code-set fields of a contact, each stored in a child table of its own."""

_CONTACT_COLLECTIONS = frozenset(
    {
        *CONTACT_CODE_SETS,
        "web_sources",
        "alternative_addresses",
        "alternative_address_periods",
    }
)
_ADDRESS_COLUMNS = tuple(f.name for f in attrs.fields(Address))


class ContactRows(NamedTuple):
    """The rows of one contact, ready to insert."""

    contact: dict[str, object]
    """The ``rm_contact`` row (with ``version`` and the derived ``search_email``)."""
    codes: dict[str, list[dict[str, object]]]
    """The rows of each code-set table, by field name (:data:`CONTACT_CODE_SETS`)."""
    web_sources: list[dict[str, object]]
    """The ``rm_contact_web_source`` rows."""
    alternative_addresses: list[dict[str, object]]
    """The ``rm_contact_alternative_address`` rows."""
    periods: list[dict[str, object]]
    """The ``rm_contact_alternative_address_period`` rows."""


def _utc(value: datetime) -> datetime:
    # SQLite gives a timestamp back without its zone; it was written in UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _alternative_address_row(no: str, alt: AlternativeAddress) -> dict[str, object]:
    row = _columns(alt)
    del row["address"]
    row.update(_columns(alt.address))
    return {"contact_no": no, **row, "search_email": alt.search_email}


def contact_to_rows(contact: Contact) -> ContactRows:
    """Return the ``rm_contact`` row and the child rows of ``contact``."""
    no = contact.no
    row = {k: v for k, v in _columns(contact).items() if k not in _CONTACT_COLLECTIONS}
    row["search_email"] = contact.search_email
    codes = {
        name: [
            {"contact_no": no, "code": code} for code in sorted(getattr(contact, name))
        ]
        for name in CONTACT_CODE_SETS
        if name != "business_relations"
    }
    # Business relations are BC's rows: (code, Link to Table, No.) (§2.8).
    codes["business_relations"] = [
        {
            "contact_no": no,
            "code": link.code,
            "link_to_table": link.link_to_table.value,
            "no": link.no,
        }
        for link in sorted(contact.business_relations)
    ]
    return ContactRows(
        contact=row,
        codes=codes,
        web_sources=[
            {"contact_no": no, "code": code, "search_word": word}
            for code, word in contact.web_sources.items()
        ],
        alternative_addresses=[
            _alternative_address_row(no, alt) for alt in contact.alternative_addresses
        ],
        periods=[
            {"contact_no": no, **_columns(period)}
            for period in contact.alternative_address_periods
        ],
    )


def contact_from_rows(
    row: Row,
    codes: Mapping[str, Iterable[Row]],
    web_sources: Iterable[Row],
    alternative_addresses: Iterable[Row],
    periods: Iterable[Row],
) -> Contact:
    """Rebuild a contact from its row and child rows (in any order)."""
    values = dict(row)
    del values["search_email"]  # derived from the e-mail
    values["last_modified"] = _utc(values["last_modified"])
    alternatives = []
    for alt_row in alternative_addresses:
        alt = {
            k: v
            for k, v in alt_row.items()
            if k not in {"contact_no", "search_email", *_ADDRESS_COLUMNS}
        }
        address = Address(**{k: alt_row[k] for k in _ADDRESS_COLUMNS})
        alternatives.append(AlternativeAddress(**alt, address=address))
    for name in CONTACT_CODE_SETS:
        if name != "business_relations":
            values[name] = frozenset(r["code"] for r in codes.get(name, ()))
    values["business_relations"] = frozenset(
        BusinessRelationLink(r["code"], r["link_to_table"], r["no"])
        for r in codes.get("business_relations", ())
    )
    return Contact(
        **values,
        web_sources={r["code"]: r["search_word"] for r in web_sources},
        alternative_addresses=alternatives,
        alternative_address_periods=[
            AlternativeAddressPeriod(
                address_code=r["address_code"],
                starting_date=r["starting_date"],
                ending_date=r["ending_date"],
            )
            for r in periods
        ],
    )


def answer_to_row(answer: ContactProfileAnswer) -> dict[str, object]:
    """Return the ``rm_contact_profile_answer`` columns of ``answer``."""
    return _columns(answer)


def answer_from_row(row: Row) -> ContactProfileAnswer:
    """Rebuild a contact profile answer from its row."""
    return ContactProfileAnswer(**row)


def salesperson_to_row(salesperson: Salesperson) -> dict[str, object]:
    """Return the ``rm_salesperson`` columns of ``salesperson`` (with ``version``)."""
    return _columns(salesperson)


def salesperson_from_row(row: Row) -> Salesperson:
    """Rebuild a salesperson from its ``rm_salesperson`` row."""
    return Salesperson(**row)


def team_to_row(team: Team) -> dict[str, object]:
    """Return the ``rm_team`` columns of ``team`` (with ``version``, without members)."""
    row = _columns(team)
    del row["members"]
    return row


def member_rows(team: Team) -> list[dict[str, object]]:
    """Return the ``rm_team_salesperson`` rows of ``team``'s members."""
    return [{"team_code": team.code, "salesperson_code": m} for m in team.members]


def team_from_rows(row: Row, members: Iterable[Row]) -> Team:
    """Rebuild a team from its row and its member rows (in any order)."""
    return Team(**row, members=[r["salesperson_code"] for r in members])


class TemplateRows(NamedTuple):
    """The rows of one interaction template, ready to insert."""

    header: dict[str, object]
    """The ``rm_interaction_template`` row (with ``version``)."""
    languages: list[dict[str, object]]
    """The ``rm_interaction_template_language`` rows."""


def template_to_rows(template: InteractionTemplate) -> TemplateRows:
    """Return the header and language rows of ``template``.

    >>> t = InteractionTemplate(code="memo", interaction_group_code="docs")
    >>> _ = t.add_language("enu", attachment_no=7)
    >>> rows = template_to_rows(t)
    >>> (rows.header["correspondence_type"], rows.languages[0]["language_code"])
    ('Email', 'ENU')
    >>> template_from_rows(rows.header, rows.languages) == t
    True
    """
    header = _columns(template)
    del header["languages"]
    return TemplateRows(header, [_columns(row) for row in template.languages])


def template_from_rows(header: Row, languages: Iterable[Row]) -> InteractionTemplate:
    """Rebuild a template from its row and its language rows (in any order)."""
    return InteractionTemplate(
        **header,
        languages=[InteractionTemplateLanguage(**row) for row in languages],
    )


def interaction_setup_to_rows(
    setup: InteractionTemplateSetup,
) -> list[dict[str, object]]:
    """Return the ``rm_interaction_template_setup_template`` rows: one per set kind."""
    return [
        {"kind": kind.value, "template_code": code}
        for kind, code in setup.templates.items()
    ]


def interaction_setup_from_rows(
    version: int, templates: Iterable[Row]
) -> InteractionTemplateSetup:
    """Rebuild the setup from its version and template rows, in setup order."""
    by_kind = {DocumentKind(r["kind"]): r["template_code"] for r in templates}
    return InteractionTemplateSetup(
        version=version,
        templates={kind: by_kind[kind] for kind in DocumentKind if kind in by_kind},
    )


def entry_to_row(entry: InteractionLogEntry) -> dict[str, object]:
    """Return the ``rm_interaction_log_entry`` columns of ``entry``: every field.

    >>> import datetime as dt
    >>> e = InteractionLogEntry(entry_no=7, date=dt.date(2026, 3, 2),
    ...                         initiated_by="Us", cost_lcy="2.50")
    >>> row = entry_to_row(e)
    >>> (row["entry_no"], row["initiated_by"], row["cost_lcy"], row["idempotency_key"])
    (7, 'Us', Decimal('2.50'), None)
    >>> entry_from_row(row) == e
    True
    """
    return _columns(entry)


def entry_from_row(row: Row) -> InteractionLogEntry:
    """Rebuild an interaction log entry from its row."""
    return InteractionLogEntry(**row)


def task_to_row(task: Task) -> dict[str, object]:
    """Return the ``rm_task`` columns of ``task`` (with ``version``).

    The interval is stored as its formula text; the duration stays a
    ``timedelta`` (the column type stores milliseconds).

    >>> import datetime as dt
    >>> call = Task(no="TD1", salesperson_code="JO", date=dt.date(2024, 3, 4),
    ...             type="Phone Call", recurring=True, recurring_date_interval="1W",
    ...             calc_due_date_from="Due Date")
    >>> row = task_to_row(call)
    >>> (row["type"], row["recurring_date_interval"], row["organizer_task_no"])
    ('Phone Call', '1W', 'TD1')
    >>> task_from_row(row) == call
    True
    """
    row = _columns(task)
    row["recurring_date_interval"] = _formula_text(task.recurring_date_interval)
    return row


def task_from_row(row: Row) -> Task:
    """Rebuild a task from its ``rm_task`` row."""
    values = dict(row)
    values["recurring_date_interval"] = _formula(values["recurring_date_interval"])
    return Task(**values)


def task_attendee_rows(
    no: str, attendees: Iterable[Attendee]
) -> list[dict[str, object]]:
    """Return the ``rm_task_attendee`` rows of the attendees of task ``no``."""
    return [{"task_no": no, **_columns(attendee)} for attendee in attendees]


def task_attendee_from_row(row: Row) -> Attendee:
    """Rebuild an attendee from its ``rm_task_attendee`` row."""
    values = dict(row)
    del values["task_no"]
    return Attendee(**values)


class ActivityRows(NamedTuple):
    """The rows of one activity, ready to insert."""

    header: dict[str, object]
    """The ``rm_activity`` row."""
    steps: list[dict[str, object]]
    """The ``rm_activity_step`` rows, in step order."""


def activity_to_rows(activity: Activity) -> ActivityRows:
    """Return the header and step rows of ``activity``; formulas as their text.

    >>> a = Activity(code="init", steps=[ActivityStep(step_no=1, date_formula="1W")])
    >>> rows = activity_to_rows(a)
    >>> (rows.header, rows.steps[0]["date_formula"], rows.steps[0]["type"])
    ({'code': 'INIT', 'description': ''}, '1W', '')
    >>> activity_from_rows(rows.header, rows.steps) == a
    True
    """
    steps = [
        {
            "activity_code": activity.code,
            **_columns(step),
            "date_formula": str(step.date_formula),
        }
        for step in activity.steps
    ]
    return ActivityRows(
        {"code": activity.code, "description": activity.description}, steps
    )


def activity_from_rows(header: Row, steps: Iterable[Row]) -> Activity:
    """Rebuild an activity from its row and its step rows (in any order)."""
    return Activity(
        code=header["code"],
        description=header["description"],
        steps=[
            ActivityStep(
                step_no=row["step_no"],
                type=row["type"],
                description=row["description"],
                priority=row["priority"],
                date_formula=DateFormula.parse(row["date_formula"]),
            )
            for row in steps
        ],
    )


class SalesCycleRows(NamedTuple):
    """The rows of one sales cycle, ready to insert."""

    header: dict[str, object]
    """The ``rm_sales_cycle`` row (with ``version``)."""
    stages: list[dict[str, object]]
    """The ``rm_sales_cycle_stage`` rows, in stage order."""


def sales_cycle_to_rows(cycle: SalesCycle) -> SalesCycleRows:
    """Return the header and stage rows of ``cycle``; formulas as their text.

    >>> cycle = SalesCycle(code="new", stages=[
    ...     SalesCycleStage(stage=1, completed_pct="12.5", date_formula="1W")])
    >>> rows = sales_cycle_to_rows(cycle)
    >>> (rows.header["probability_calculation"], rows.stages[0]["date_formula"])
    ('Multiply', '1W')
    >>> sales_cycle_from_rows(rows.header, rows.stages) == cycle
    True
    """
    header = _columns(cycle)
    del header["stages"]
    stages = [
        {
            "sales_cycle_code": cycle.code,
            **_columns(stage),
            "date_formula": str(stage.date_formula),
        }
        for stage in cycle.stages
    ]
    return SalesCycleRows(header, stages)


def sales_cycle_from_rows(header: Row, stages: Iterable[Row]) -> SalesCycle:
    """Rebuild a sales cycle from its row and its stage rows (in any order)."""
    rows = []
    for row in stages:
        values = dict(row)
        del values["sales_cycle_code"]
        rows.append(SalesCycleStage(**values))
    return SalesCycle(**header, stages=rows)


def opportunity_to_row(opportunity: Opportunity) -> dict[str, object]:
    """Return the ``rm_opportunity`` columns of ``opportunity`` (with ``version``)."""
    return _columns(opportunity)


def opportunity_from_row(row: Row) -> Opportunity:
    """Rebuild an opportunity from its ``rm_opportunity`` row."""
    return Opportunity(**row)


def opportunity_entry_to_row(entry: OpportunityEntry) -> dict[str, object]:
    """Return the ``rm_opportunity_entry`` columns of ``entry``: every field.

    >>> import datetime as dt
    >>> e = OpportunityEntry(entry_no=3, opportunity_no="op1", active=True,
    ...                      date_of_change=dt.date(2026, 3, 2), estimated_value="10")
    >>> row = opportunity_entry_to_row(e)
    >>> (row["opportunity_no"], row["action_taken"], row["estimated_value"])
    ('OP1', '', Decimal('10'))
    >>> opportunity_entry_from_row(row) == e
    True
    """
    return _columns(entry)


def opportunity_entry_from_row(row: Row) -> OpportunityEntry:
    """Rebuild an opportunity entry from its ``rm_opportunity_entry`` row."""
    return OpportunityEntry(**row)


def campaign_to_row(campaign: Campaign) -> dict[str, object]:
    """Return the ``rm_campaign`` columns of ``campaign`` (with ``version``)."""
    return _columns(campaign)


def campaign_from_row(row: Row) -> Campaign:
    """Rebuild a campaign from its ``rm_campaign`` row."""
    return Campaign(**row)


def campaign_entry_to_row(entry: CampaignEntry) -> dict[str, object]:
    """Return the ``rm_campaign_entry`` columns of ``entry``: every field."""
    return _columns(entry)


def campaign_entry_from_row(row: Row) -> CampaignEntry:
    """Rebuild a campaign entry from its ``rm_campaign_entry`` row."""
    return CampaignEntry(**row)


_PRICING_KINDS: dict[str, type[PricingLine]] = {
    "Price": CampaignPriceLine,
    "Line Discount": CampaignLineDiscountLine,
}


def pricing_line_to_row(line: PricingLine) -> dict[str, object]:
    """Return the ``rm_campaign_pricing_line`` columns of ``line``.

    >>> row = pricing_line_to_row(CampaignPriceLine(campaign_no="CP1", asset_type="Item",
    ...                                             asset_no="1000", unit_price=5))
    >>> row["kind"], row["line_key"], row["line_discount_pct"]
    ('Price', 'Price|Item|1000||||0|', None)
    """
    key = pricing_line_key(line)
    row: dict[str, object] = dict.fromkeys(
        ("unit_price", "allow_line_disc", "allow_invoice_disc", "line_discount_pct")
    )
    row.update(_columns(line))
    row.update(kind=key.partition("|")[0], line_key=key)
    return row


def pricing_line_from_row(row: Row) -> PricingLine:
    """Rebuild a price or line-discount line from its row (the other kind's columns dropped)."""
    kind = _PRICING_KINDS[str(row["kind"])]
    names = {field.name for field in attrs.fields(kind)}
    return kind(**{name: value for name, value in row.items() if name in names})


class SegmentRows(NamedTuple):
    """The rows of one segment, ready to insert."""

    header: dict[str, object]
    """The ``rm_segment`` row (with ``version``)."""
    lines: list[dict[str, object]]
    """The ``rm_segment_line`` rows, in the segment's order."""
    actions: list[dict[str, object]]
    """The ``rm_segment_action`` rows, the criteria as JSON text."""
    history: list[dict[str, object]]
    """The ``rm_segment_history`` rows, each with the whole line."""


_SEGMENT_CHILDREN = ("lines", "actions", "history")
_SEGMENT_KEY = "segment_no"
_SAVED_CRITERIA_KEY = "code"


def segment_to_rows(segment: Segment) -> SegmentRows:
    """Return the header, line, action and history rows of ``segment``.

    A criteria tree is stored as the library's JSON text
    (:func:`~relationship_mgmt.serialization.dumps`); a history row holds the
    columns of its line.

    >>> import datetime as dt
    >>> from relationship_mgmt.domain.contacts import Contact
    >>> from relationship_mgmt.domain.criteria import where
    >>> from relationship_mgmt.domain.setup import RelationshipSetup
    >>> ann = Contact.create_person(no="CT1", name="Ann", setup=RelationshipSetup(),
    ...                             now=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    >>> seg = Segment(no="SM1", date=dt.date(2026, 1, 5), unit_cost_lcy="2.50")
    >>> _ = seg.add_contacts([ann], criteria=where.name == "Ann")
    >>> rows = segment_to_rows(seg)
    >>> (rows.lines[0]["line_no"], rows.lines[0]["cost_lcy"], rows.history[0]["action_taken"])
    (10000, Decimal('2.50'), 'Insertion')
    >>> rows.actions[0]["criteria"]
    '{"criteria":{"field":"name","ignore_case":false,"node":"compare","op":"=","record":"contact","value":"Ann"},"format":1}'
    >>> segment_from_rows(rows.header, rows.lines, rows.actions, rows.history) == seg
    True
    """
    no = segment.no
    header = _columns(segment)
    for name in _SEGMENT_CHILDREN:
        del header[name]
    lines = [{_SEGMENT_KEY: no, **_columns(line)} for line in segment.lines]
    actions = [
        {_SEGMENT_KEY: no, **_criteria_action_to_row(action)}
        for action in segment.actions
    ]
    history = [
        {
            _SEGMENT_KEY: no,
            "action_no": row.action_no,
            "action_taken": row.action_taken.value,
            **_columns(row.line),
        }
        for row in segment.history
    ]
    return SegmentRows(header, lines, actions, history)


def _criteria_action_to_row(action: CriteriaAction) -> dict[str, object]:
    """The action columns of ``rm_segment_action`` and ``rm_saved_criteria_action``."""
    return {
        "number": action.number,
        "action": action.action.value,
        "criteria": dumps(action.criteria),
        **_columns(action.options),
        "entire_companies": action.entire_companies,
        "manual": action.manual,
    }


def _criteria_action_from_row(row: Row) -> CriteriaAction:
    """Rebuild a criteria action from its action columns (the owner's key ignored)."""
    return CriteriaAction(
        number=row["number"],
        action=row["action"],
        criteria=_criteria(row["criteria"]),
        options=AddOptions(
            allow_existing_contacts=row["allow_existing_contacts"],
            expand_companies=row["expand_companies"],
            allow_related_companies=row["allow_related_companies"],
            ignore_exclusion=row["ignore_exclusion"],
        ),
        entire_companies=row["entire_companies"],
        manual=row["manual"],
    )


def _segment_line(row: Row, *extra: str) -> SegmentLine:
    skip = {_SEGMENT_KEY, *extra}
    return SegmentLine(**{k: v for k, v in row.items() if k not in skip})


def _criteria(text: str) -> Criteria:
    # Criteria is a union of node classes, which mypy does not take as a type[T].
    return loads(text, Criteria)  # type: ignore[arg-type]


def segment_from_rows(
    header: Row, lines: Iterable[Row], actions: Iterable[Row], history: Iterable[Row]
) -> Segment:
    """Rebuild a segment from its rows; the child rows in the segment's order.

    Raises:
        SerializationError: A stored criteria text that is not valid criteria.
    """
    return Segment(
        **header,
        lines=[_segment_line(row) for row in lines],
        actions=[_criteria_action_from_row(row) for row in actions],
        history=[
            HistoryRow(
                action_no=row["action_no"],
                line=_segment_line(row, "action_no", "action_taken"),
                action_taken=row["action_taken"],
            )
            for row in history
        ],
    )


def logged_segment_to_row(entry: LoggedSegment) -> dict[str, object]:
    """Return the ``rm_logged_segment`` columns of ``entry``: every field."""
    return _columns(entry)


def logged_segment_from_row(row: Row) -> LoggedSegment:
    """Rebuild a logged segment from its ``rm_logged_segment`` row."""
    return LoggedSegment(**row)


class SavedCriteriaRows(NamedTuple):
    """The rows of one saved criteria, ready to insert."""

    header: dict[str, object]
    """The ``rm_saved_criteria`` row (with ``version``)."""
    actions: list[dict[str, object]]
    """The ``rm_saved_criteria_action`` rows, the criteria as JSON text."""


def saved_criteria_to_rows(saved: SavedCriteria) -> SavedCriteriaRows:
    """Return the header and action rows of ``saved``.

    The actions have the columns of ``rm_segment_action``, keyed by the code.

    >>> from relationship_mgmt.domain.criteria import where
    >>> from relationship_mgmt.domain.segments import SegmentAction
    >>> saved = SavedCriteria(code="czech", actions=[CriteriaAction(
    ...     number=1, action=SegmentAction.ADD, criteria=where.name == "Ann")])
    >>> rows = saved_criteria_to_rows(saved)
    >>> (rows.header["code"], rows.actions[0]["code"], rows.actions[0]["action"])
    ('CZECH', 'CZECH', 'Add Contacts')
    >>> saved_criteria_from_rows(rows.header, rows.actions) == saved
    True
    """
    header = _columns(saved)
    del header["actions"]
    actions = [
        {_SAVED_CRITERIA_KEY: saved.code, **_criteria_action_to_row(action)}
        for action in saved.actions
    ]
    return SavedCriteriaRows(header, actions)


def saved_criteria_from_rows(header: Row, actions: Iterable[Row]) -> SavedCriteria:
    """Rebuild saved criteria from their rows; the actions in number order.

    Raises:
        SerializationError: A stored criteria text that is not valid criteria.
    """
    return SavedCriteria(
        **header, actions=[_criteria_action_from_row(row) for row in actions]
    )
