"""Sphinx configuration for the relationship_mgmt documentation.

Build with ``scripts/docs`` (or, in a ready venv,
``sphinx-build -n -W --keep-going -b html docs docs/_build/html``): nitpicky, and every
warning is an error (house style B17).
"""

from __future__ import annotations

import importlib
import logging
import re
from typing import Any

from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

import relationship_mgmt

# furo's dependency accessible-pygments calls logging.basicConfig(level=INFO) on import,
# which would print alembic's INFO lines when autodoc imports the SQL adapter.
logging.getLogger("alembic").setLevel(logging.WARNING)

project = "relationship_mgmt"
author = "The relationship_mgmt developers"
copyright = "2026, The relationship_mgmt developers"
release = relationship_mgmt.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    # sphinx.ext.intersphinx (python, attrs, cattrs, dateutil) is deliberately NOT
    # enabled: the build machines have no network, and intersphinx would try to fetch
    # the inventories on every build. References into those projects are listed in
    # nitpick_ignore_regex below instead. To link them, enable intersphinx with
    # inventories stored in the repository (intersphinx_mapping with a local file).
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# --- MyST ----------------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# --- HTML ----------------------------------------------------------------------------

html_theme = "furo"
html_title = f"relationship_mgmt {release}"
html_static_path: list[str] = []

# --- autodoc and napoleon ------------------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True  # "Attributes:" as fields, so attrs fields are not doubled
napoleon_use_rtype = False

# --- nitpicky ------------------------------------------------------------------------

nitpicky = True
# Without intersphinx, these targets live outside this documentation. Keep the list
# to whole foreign packages; anything of our own must resolve.
_FOREIGN = (
    # The standard library (normally resolved through intersphinx to docs.python.org).
    (
        r"(datetime|decimal|collections\.abc|enum|fractions|types|threading|re|typing"
        r"|os|email|mailbox|pathlib)(\..+)?"
    ),
    # Third-party: attrs, cattrs, dateutil, pytest, hypothesis, SQLAlchemy, alembic.
    r"(attr|attrs|cattrs|dateutil|_?pytest|hypothesis|sqlalchemy|alembic)(\..+)?",
)
_ANY_PY = r"py:(class|obj|exc|func|meth|attr|data|mod)"
nitpick_ignore_regex = [
    *((_ANY_PY, pattern) for pattern in _FOREIGN),
    # Type variables in generic signatures (R, K, V ...) are not documented objects.
    (r"py:(class|obj)", r"relationship_mgmt(\.\w+)*\.[A-Z]"),
    # Private helper classes that appear in the signatures of public methods.
    (r"py:(class|obj)", r"relationship_mgmt(\.\w+)*\._[A-Z]\w*"),
]

# --- re-exported names ---------------------------------------------------------------
#
# Each object is documented once, under the module a user imports it from
# (``relationship_mgmt.Crm``, ``relationship_mgmt.ports.Clock``,
# ``relationship_mgmt.domain.money.Money`` ...). Docstrings and type hints may name it
# by another public path (``relationship_mgmt.Money``, ``relationship_mgmt.ports.clock.Clock``).
# This resolver follows such a path to the object and links to wherever that object
# is documented; it never invents a target, so a reference to an undocumented object
# still fails the build.

_OWN = re.compile(r"relationship_mgmt(\.\w+)*")


def _locate(path: str) -> object | None:
    module_name, _, attr = path.rpartition(".")
    while module_name:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            module_name, _, head = module_name.rpartition(".")
            attr = f"{head}.{attr}"
            continue
        obj: object = module
        for part in attr.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj
    return None


def _candidates(node: pending_xref) -> list[str]:
    """The full paths a reference may mean, most specific first."""
    target = node.get("reftarget", "")
    if _OWN.fullmatch(target):
        return [target]
    # A short name in a docstring or signature: look in the current module and class.
    module, cls = node.get("py:module"), node.get("py:class")
    if not module:
        return []
    return [f"{module}.{cls}.{target}"] * bool(cls) + [f"{module}.{target}"]


def _find(node: pending_xref) -> tuple[str, object] | None:
    for candidate in _candidates(node):
        obj = _locate(candidate)
        if obj is not None and callable(obj):  # classes, functions, NewTypes
            return candidate, obj
    return None


def _is_foreign(obj: object) -> bool:
    home = getattr(obj, "__module__", None) or ""
    return any(re.fullmatch(pattern, home) for pattern in _FOREIGN)


def _resolve_reexport(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: Element
) -> Element | None:
    if node.get("refdomain") != "py" or (found := _find(node)) is None:
        return None
    target, obj = found
    if _is_foreign(obj):
        # A short name for a foreign object (``date`` in an unevaluated class
        # signature): ignored, as its full name is by nitpick_ignore_regex.
        return contnode
    domain = env.get_domain("py")
    for name, entry in domain.objects.items():  # type: ignore[attr-defined]
        if (
            entry.objtype != "module"
            and name.startswith("relationship_mgmt.")
            and name != target
            and _locate(name) is obj
        ):
            role = entry.objtype if entry.objtype in {"class", "exception"} else "obj"
            return domain.resolve_xref(
                env, node.get("refdoc", ""), app.builder, role, name, node, contnode
            )
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the re-export resolver."""
    app.connect("missing-reference", _resolve_reexport)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
