"""Use cases: one public method is one use case and one unit of work."""

from relationship_mgmt.services.contacts import ContactService
from relationship_mgmt.services.duplicates import DuplicateService
from relationship_mgmt.services.email_logging import EmailLoggingService
from relationship_mgmt.services.interactions import InteractionService
from relationship_mgmt.services.numbering import assign_number, draw_number
from relationship_mgmt.services.profiles import ProfileService
from relationship_mgmt.services.salespeople import SalespersonService
from relationship_mgmt.services.setup import DEFAULT_NUMBER_SERIES, SetupService
from relationship_mgmt.services.tasks import TaskService

__all__ = [
    "ContactService",
    "DEFAULT_NUMBER_SERIES",
    "DuplicateService",
    "EmailLoggingService",
    "InteractionService",
    "ProfileService",
    "SalespersonService",
    "SetupService",
    "TaskService",
    "assign_number",
    "draw_number",
]
