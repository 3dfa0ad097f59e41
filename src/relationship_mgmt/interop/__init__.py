"""Interoperability: reading and writing other programs' files.

* :mod:`relationship_mgmt.interop.email`: e-mail messages from ``.eml`` files, a
  folder of them, or an mbox file, for e-mail logging (§1.4);
* :mod:`relationship_mgmt.interop.icalendar`: tasks and meetings as iCalendar.

Modules here may do I/O; they never import the services (architecture.md).
"""
