"""Ports: the Protocols the library's services are written against.

Adapters implement them without inheriting from them; the contract suites in
:mod:`relationship_mgmt.testing.contracts` prove that an implementation keeps them.
"""

from relationship_mgmt.ports.attachments import Attachment, AttachmentStore
from relationship_mgmt.ports.business_partners import (
    BusinessPartner,
    BusinessPartnerDirectory,
)
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.delivery import MergeRenderer, Outbox
from relationship_mgmt.ports.repositories import (
    ActivityRepository,
    CampaignEntryRepository,
    CampaignPricingRepository,
    CampaignRepository,
    CampaignTargetGroupRepository,
    CodeTableRecord,
    CodeTableRepository,
    ContactProfileAnswerRepository,
    ContactRepository,
    DuplicateKeyRepository,
    InteractionLogRepository,
    InteractionTemplateRepository,
    InteractionTemplateSetupRepository,
    LoggedSegmentRepository,
    MergeRepository,
    NumberSeriesRepository,
    OpportunityEntryRepository,
    OpportunityRepository,
    ProfileQuestionnaireRepository,
    SalesCycleRepository,
    SalespersonRepository,
    SavedCriteriaRepository,
    SegmentRepository,
    SeparateContactPairRepository,
    SetupRepository,
    TaskRepository,
    TeamRepository,
)
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

__all__ = [
    "ActivityRepository",
    "Attachment",
    "AttachmentStore",
    "BusinessPartner",
    "BusinessPartnerDirectory",
    "CampaignEntryRepository",
    "CampaignPricingRepository",
    "CampaignRepository",
    "CampaignTargetGroupRepository",
    "Clock",
    "CodeTableRecord",
    "CodeTableRepository",
    "ContactProfileAnswerRepository",
    "ContactRepository",
    "DuplicateKeyRepository",
    "InteractionLogRepository",
    "InteractionTemplateRepository",
    "InteractionTemplateSetupRepository",
    "LoggedSegmentRepository",
    "MergeRenderer",
    "MergeRepository",
    "NumberSeriesRepository",
    "OpportunityEntryRepository",
    "OpportunityRepository",
    "Outbox",
    "ProfileQuestionnaireRepository",
    "SalesCycleRepository",
    "SalespersonRepository",
    "SavedCriteriaRepository",
    "SegmentRepository",
    "SeparateContactPairRepository",
    "SetupRepository",
    "TaskRepository",
    "TeamRepository",
    "UnitOfWork",
    "UnitOfWorkFactory",
]
