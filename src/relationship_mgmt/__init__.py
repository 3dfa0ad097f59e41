"""relationship_mgmt: relationship management (CRM) the way Business Central does it.

Open a workspace with :func:`open` and use its services::

    >>> import relationship_mgmt as rm
    >>> crm = rm.open()                      # in memory; or "sqlite:///crm.db"
    >>> crm.setup.use_default_number_series()
    >>> crm.setup.next_number("CONT")
    'CT000001'
    >>> import datetime
    >>> rm.calc_date("CM+1D", datetime.date(2026, 2, 10))
    datetime.date(2026, 3, 1)

Adapters are imported by module path (``relationship_mgmt.adapters.memory``,
``relationship_mgmt.adapters.sql``); importing this package imports no database driver
and no optional extra.
"""

from typing import TYPE_CHECKING, Any

from relationship_mgmt._crm import Crm, open
from relationship_mgmt.domain.codes import (
    CampaignNo,
    Code,
    ContactNo,
    NoSeriesCode,
    OpportunityNo,
    SalespersonCode,
    SegmentNo,
    TaskNo,
    make_code,
)
from relationship_mgmt.domain.dateformula import DateFormula, calc_date
from relationship_mgmt.domain.money import Currency, Money
from relationship_mgmt.domain.numbering import NumberSeries, increment_number
from relationship_mgmt.domain.setup import (
    AttachmentStorageType,
    BusinessRelation,
    CampaignStatus,
    CloseOpportunityCode,
    CloseOpportunityType,
    CodeRecord,
    CorrespondenceType,
    IndustryGroup,
    JobResponsibility,
    MailingGroup,
    OrganizationalLevel,
    RelationshipSetup,
    Salutation,
    SalutationFormula,
    SalutationName,
    SalutationType,
    Territory,
    WebSource,
)
from relationship_mgmt.errors import (
    AlreadyExistsError,
    AutomaticQuestionError,
    BusinessPartnerNotFoundError,
    BusinessRelationError,
    ClassificationSetupError,
    CodeTooLongError,
    CompanyLinkError,
    ConcurrencyError,
    ContactAlreadyLinkedError,
    ContactDeletionError,
    ContactTypeChangeError,
    CurrencyMismatchError,
    DateFormulaError,
    DeliveryError,
    DomainError,
    IdempotencyConflictError,
    IntegrityViolationError,
    InteractionEntryError,
    InUseError,
    InvalidNumberError,
    InvalidTransitionError,
    ManualNumbersNotAllowedError,
    MergeRefusedError,
    MissingOptionalDependencyError,
    MultipleAnswersNotAllowedError,
    NotFoundError,
    NumberSeriesDateOrderError,
    NumberSeriesError,
    NumberSeriesExhaustedError,
    ParentalConsentRequiredError,
    PartnerAlreadyLinkedError,
    PersistenceError,
    PrivacyBlockedError,
    ProfileForMinorError,
    RatingLoopError,
    RelationshipMgmtError,
    SalespersonBlockedError,
    SalutationFormulaNotFoundError,
    SchemaVersionError,
    SerializationError,
    StorageUnavailableError,
    TaskRuleError,
    TemplateError,
    TemplateLimitError,
    TemplateSecurityError,
    TransientStorageError,
    UnitOfWorkStateError,
    ValidationError,
)

if TYPE_CHECKING:
    from relationship_mgmt.domain.criteria import where
    from relationship_mgmt.domain.opportunities import SalesCycleStage
    from relationship_mgmt.domain.tasks import ActivityStep
    from relationship_mgmt.services.campaigns import CampaignService
    from relationship_mgmt.services.contacts import ContactService
    from relationship_mgmt.services.duplicates import DuplicateService
    from relationship_mgmt.services.interactions import InteractionService
    from relationship_mgmt.services.opportunities import (
        OpportunityService,
        SalesCycleService,
    )
    from relationship_mgmt.services.profiles import ProfileService
    from relationship_mgmt.services.salespeople import SalespersonService
    from relationship_mgmt.services.segments import SegmentService
    from relationship_mgmt.services.setup import SetupService
    from relationship_mgmt.services.tasks import TaskService

# The service classes are exported lazily (see __getattr__): importing them pulls in
# the domain modules they serve, which ``import relationship_mgmt`` leaves for later.
_LAZY = {
    "ActivityStep": "relationship_mgmt.domain.tasks",
    "CampaignService": "relationship_mgmt.services.campaigns",
    "ContactService": "relationship_mgmt.services.contacts",
    "DuplicateService": "relationship_mgmt.services.duplicates",
    "InteractionService": "relationship_mgmt.services.interactions",
    "OpportunityService": "relationship_mgmt.services.opportunities",
    "ProfileService": "relationship_mgmt.services.profiles",
    "SalesCycleService": "relationship_mgmt.services.opportunities",
    "SalesCycleStage": "relationship_mgmt.domain.opportunities",
    "SalespersonService": "relationship_mgmt.services.salespeople",
    "SegmentService": "relationship_mgmt.services.segments",
    "SetupService": "relationship_mgmt.services.setup",
    "TaskService": "relationship_mgmt.services.tasks",
    "where": "relationship_mgmt.domain.criteria",
}

__all__ = [
    "ActivityStep",
    "AlreadyExistsError",
    "AttachmentStorageType",
    "AutomaticQuestionError",
    "BusinessPartnerNotFoundError",
    "BusinessRelation",
    "BusinessRelationError",
    "CampaignNo",
    "CampaignService",
    "CampaignStatus",
    "ClassificationSetupError",
    "CloseOpportunityCode",
    "CloseOpportunityType",
    "Code",
    "CodeRecord",
    "CodeTooLongError",
    "CompanyLinkError",
    "ConcurrencyError",
    "ContactAlreadyLinkedError",
    "ContactDeletionError",
    "ContactNo",
    "ContactService",
    "ContactTypeChangeError",
    "CorrespondenceType",
    "Crm",
    "Currency",
    "CurrencyMismatchError",
    "DateFormula",
    "DateFormulaError",
    "DeliveryError",
    "DomainError",
    "DuplicateService",
    "IdempotencyConflictError",
    "InUseError",
    "IndustryGroup",
    "IntegrityViolationError",
    "InteractionEntryError",
    "InteractionService",
    "InvalidNumberError",
    "InvalidTransitionError",
    "JobResponsibility",
    "MailingGroup",
    "ManualNumbersNotAllowedError",
    "MergeRefusedError",
    "MissingOptionalDependencyError",
    "Money",
    "MultipleAnswersNotAllowedError",
    "NoSeriesCode",
    "NotFoundError",
    "NumberSeries",
    "NumberSeriesDateOrderError",
    "NumberSeriesError",
    "NumberSeriesExhaustedError",
    "OpportunityNo",
    "OpportunityService",
    "OrganizationalLevel",
    "ParentalConsentRequiredError",
    "PartnerAlreadyLinkedError",
    "PersistenceError",
    "PrivacyBlockedError",
    "ProfileForMinorError",
    "ProfileService",
    "RatingLoopError",
    "RelationshipMgmtError",
    "RelationshipSetup",
    "SalesCycleService",
    "SalesCycleStage",
    "SalespersonBlockedError",
    "SalespersonCode",
    "SalespersonService",
    "Salutation",
    "SalutationFormula",
    "SalutationFormulaNotFoundError",
    "SalutationName",
    "SalutationType",
    "SchemaVersionError",
    "SegmentNo",
    "SegmentService",
    "SerializationError",
    "SetupService",
    "StorageUnavailableError",
    "TaskNo",
    "TaskRuleError",
    "TaskService",
    "TemplateError",
    "TemplateLimitError",
    "TemplateSecurityError",
    "Territory",
    "TransientStorageError",
    "UnitOfWorkStateError",
    "ValidationError",
    "WebSource",
    "__version__",
    "calc_date",
    "increment_number",
    "make_code",
    "open",
    "where",
]


def __getattr__(name: str) -> Any:  # noqa: ANN401 - any lazily exported object
    # __version__ is read from the distribution metadata on first use (as attrs
    # does): importlib.metadata costs ~25 ms, which `import relationship_mgmt` skips.
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415

        return version("relationship-mgmt")
    if name in _LAZY:
        import importlib  # noqa: PLC0415

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
