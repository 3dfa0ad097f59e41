"""relationship_mgmt: relationship management (CRM) the way Business Central does it."""

from importlib.metadata import version as _version

__version__ = _version("relationship-mgmt")
__all__ = ["__version__"]
