"""Interaction groups, templates and the interaction log (§3, §1.3): ``crm.interactions``.

>>> import relationship_mgmt as rm
>>> crm = rm.open()
>>> crm.setup.use_default_number_series()
>>> crm.salespeople.create("jo", name="Jo Smith").code
'JO'
>>> ann = crm.contacts.create_company(name="Cronus Ltd.", salesperson_code="jo")
>>> crm.interactions.create_group("sales", description="Sales")
InteractionGroup(code='SALES', description='Sales')
>>> crm.interactions.create_template("call", group="sales", description="Phone call",
...     unit_cost_lcy="2.5", unit_duration_min=10).code
'CALL'
>>> entry = crm.interactions.log(contact_no=ann.no, template="call", idempotency_key="k1")
>>> (entry.entry_no, entry.description, entry.cost_lcy, entry.salesperson_code)
(1, 'Phone call', Decimal('2.5'), 'JO')
>>> crm.interactions.log(contact_no=ann.no, template="call", idempotency_key="k1").entry_no
1
>>> crm.interactions.statistics(contact_no=ann.no).no_of_interactions
1
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable

import attrs

from relationship_mgmt.domain._fields import check_field_names, to_enum
from relationship_mgmt.domain.campaigns import (
    CampaignEntry,
    CampaignEntryChoice,
    find_campaign_entry,
)
from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    Code,
    ContactNo,
    SalespersonCode,
    make_code,
)
from relationship_mgmt.domain.contacts import Contact, LinkToTable
from relationship_mgmt.domain.interactions import (
    DocumentKind,
    DocumentType,
    Evaluation,
    InteractionFilter,
    InteractionLogEntry,
    InteractionRequest,
    InteractionStatistics,
    InteractionTemplate,
    check_group_unused,
    contact_filter,
    plan_document_log,
    plan_interaction,
)
from relationship_mgmt.domain.setup import InteractionGroup
from relationship_mgmt.errors import NotFoundError, ValidationError
from relationship_mgmt.ports.attachments import Attachment, AttachmentStore
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from relationship_mgmt.services.campaigns import (
    add_campaign_target,
    refresh_campaign_targets,
)

__all__ = ["InteractionService", "link_campaign_entry"]


def _template_code(code: str) -> Code:
    return make_code(code, max_length=CODE10, field="template_code")


def _contact_no(no: str) -> ContactNo:
    return ContactNo(make_code(no, max_length=CODE20, field="contact_no"))


def _check_salesperson(uow: UnitOfWork, code: str | None, purpose: str) -> None:
    """The salesperson must exist and be assignable (§3.4, §8)."""
    if code is not None:
        key = SalespersonCode(make_code(code, max_length=CODE20))
        uow.salespeople.get(key).ensure_assignable(purpose)


def link_campaign_entry(
    uow: UnitOfWork,
    entry: InteractionLogEntry,
    *,
    user_id: str,
    document_caption: str | None = None,
) -> InteractionLogEntry:
    """Find or create the entry's campaign entry and link it (§3.4 Effects, §6.2).

    Only an interaction with a campaign that is not postponed gets one. The campaign
    must exist (§3.4 checks on finish). A campaign entry is reused per (Campaign
    No., Segment No., Document Type); the first interaction of a combination creates
    it (:func:`~relationship_mgmt.domain.campaigns.find_campaign_entry`), in the
    caller's unit of work. A new entry's number is drawn only when one is needed:
    drawing advances the shared counter. An entry with Campaign Target puts its
    company in the campaign's target group when the campaign is activated (§6.3,
    :func:`~relationship_mgmt.services.campaigns.add_campaign_target`): the caller
    stores the entry in the same unit of work.

    Raises:
        NotFoundError: No such campaign.
    """
    campaign_no = entry.campaign_no
    if campaign_no is None or entry.postponed or entry.date is None:
        return entry
    uow.campaigns.get(campaign_no)
    _target(uow, entry)
    day = entry.date

    def choose(existing: list[CampaignEntry], entry_no: int) -> CampaignEntryChoice:
        return find_campaign_entry(
            existing,
            campaign_no=campaign_no,
            date=day,
            entry_no=entry_no,
            segment_no=entry.segment_no,
            document_type=entry.document_type,
            user_id=user_id,
            salesperson_code=entry.salesperson_code,
            register_no=entry.logged_segment_entry_no,
            document_caption=document_caption,
        )

    # 1 is a stand-in: it is used only if no entry matches, and then replaced.
    choice = choose(uow.campaign_entries.find(campaign_no=campaign_no), 1)
    if choice.is_new:
        choice = choose([], uow.campaign_entries.next_entry_no())
        uow.campaign_entries.add(choice.entry)
    return attrs.evolve(entry, campaign_entry_no=choice.entry.entry_no)


def _target(uow: UnitOfWork, entry: InteractionLogEntry) -> None:
    """§6.3: a targeting, not postponed entry adds its company to an activated campaign."""
    if entry.campaign_target and not entry.postponed:
        add_campaign_target(uow, entry.campaign_no, entry.contact_company_no)


def _campaign_entry_canceled(uow: UnitOfWork, entry: InteractionLogEntry) -> bool:
    """Whether the entry's campaign entry is canceled (BC ``SetCanceledCheckmark``).

    As in BC (``if CampaignEntry.Get(...)``) a campaign entry that is not stored does
    not refuse.
    """
    if entry.campaign_entry_no is None:
        return False
    try:
        return uow.campaign_entries.get(entry.campaign_entry_no).canceled
    except NotFoundError:
        return False


class InteractionService:
    """Interaction groups and templates, the template setup and the log (§3).

    Args:
        uow_factory: Makes a unit of work per use case.
        clock: Today (BC ``WORKDATE``) and the time of logged interactions.
        user_id: The *User ID* written on logged entries.
        attachments: Where attachment contents are kept (§3.7).
    """

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        attachments: AttachmentStore,
        *,
        user_id: str = "",
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._user_id = user_id
        self.attachments = attachments

    # --- groups and templates (§3.1, §3.2) -------------------------------------------

    def create_group(self, code: str, *, description: str = "") -> InteractionGroup:
        """Create an interaction group (table 5063, §3.1).

        Raises:
            AlreadyExistsError: The code is taken.
        """
        group = InteractionGroup(code=code, description=description)
        with self._uow_factory() as uow:
            uow.code_tables.add(group)
            uow.commit()
        return group

    def delete_group(self, code: str) -> None:
        """Delete an interaction group no template uses (§3.1).

        Raises:
            NotFoundError: No such group.
            InUseError: A template belongs to it.
        """
        with self._uow_factory() as uow:
            group = uow.code_tables.get(InteractionGroup, code.strip().upper())
            check_group_unused(group.code, uow.interaction_templates.find_all())
            uow.code_tables.remove(InteractionGroup, group.code)
            uow.commit()

    def create_template(
        self, code: str, *, group: str, **fields: object
    ) -> InteractionTemplate:
        """Create an interaction template in an existing group (§3.2).

        Args:
            code: The template's code.
            group: Its interaction group.
            **fields: Other fields of
                :class:`~relationship_mgmt.domain.interactions.InteractionTemplate`.

        Raises:
            NotFoundError: No such group.
            ValidationError: A refused value.
            AlreadyExistsError: The code is taken.
        """
        check_field_names(InteractionTemplate, fields)
        template = InteractionTemplate(
            code=code,
            interaction_group_code=group,
            **fields,  # type: ignore[arg-type]
        )
        with self._uow_factory() as uow:
            uow.code_tables.get(InteractionGroup, template.interaction_group_code)
            uow.interaction_templates.add(template)
            uow.commit()
        return template

    def get_template(self, code: str) -> InteractionTemplate:
        """Return the template ``code``.

        Raises:
            NotFoundError: No such template.
        """
        key = _template_code(code)
        with self._uow_factory() as uow:
            return uow.interaction_templates.get(key)

    def templates(self) -> builtins.list[InteractionTemplate]:
        """Return every template, ordered by code."""
        with self._uow_factory() as uow:
            return uow.interaction_templates.find_all()

    def change_template(self, code: str, **changes: object) -> InteractionTemplate:
        """Change fields of a template with BC's side effects (§3.2).

        Raises:
            NotFoundError: No such template.
            ValidationError: A refused value; nothing changed.
        """
        key = _template_code(code)
        with self._uow_factory() as uow:
            template = uow.interaction_templates.get(key)
            template.change(**changes)
            uow.interaction_templates.update(template)
            uow.commit()
        return template

    def delete_template(self, code: str) -> None:
        """Delete a template with its languages (§3.2) and clear it from the setup.

        Raises:
            NotFoundError: No such template.
        """
        key = _template_code(code)
        with self._uow_factory() as uow:
            setup = uow.interaction_template_setup.get()
            kinds = setup.kinds_using(key)
            for kind in kinds:
                setup.assign(kind, None)
            if kinds:
                uow.interaction_template_setup.save(setup)
            uow.interaction_templates.remove(key)
            uow.commit()

    def attach_to_template(
        self,
        code: str,
        language_code: str,
        content: bytes,
        *,
        file_name: str,
        media_type: str = "application/octet-stream",
    ) -> InteractionTemplate:
        """Store an attachment for one language of a template (§3.2, §3.7).

        The language row is added, or its attachment replaced (the old one is
        deleted from the store unless an entry or another template uses it).
        Logging with the template then copies the attachment of the contact's
        language, else of the template's default language.

        Raises:
            NotFoundError: No such template.
            ValidationError: A refused file name or language code.
        """
        key = _template_code(code)
        attachment = self.attachments.put(
            content, file_name=file_name, media_type=media_type
        )
        replaced: int | None = None
        try:
            with self._uow_factory() as uow:
                template = uow.interaction_templates.get(key)
                row = template.language(language_code)
                if row is None:
                    template.add_language(language_code, attachment_no=attachment.no)
                else:
                    replaced = row.attachment_no
                    template.replace_language(
                        attrs.evolve(row, attachment_no=attachment.no)
                    )
                uow.interaction_templates.update(template)
                uow.commit()
        except Exception:
            self.attachments.delete(attachment.no)  # nothing points at it
            raise
        if replaced is not None:
            self._drop_if_unused(replaced)
        return template

    def attachment(self, no: int) -> Attachment:
        """Return the stored attachment ``no`` (§3.7).

        Raises:
            NotFoundError: No such attachment.
        """
        return self.attachments.get(no)

    def _drop_if_unused(self, no: int) -> bool:
        """Delete attachment ``no`` when no entry and no template points at it."""
        with self._uow_factory() as uow:
            used = uow.interaction_log.find(
                InteractionFilter(attachment_no=no), limit=1
            ) or any(
                row.attachment_no == no
                for template in uow.interaction_templates.find_all()
                for row in template.languages
            )
        if used or not self.attachments.exists(no):
            return False
        self.attachments.delete(no)
        return True

    def use_template_for(self, kind: DocumentKind | str, template: str | None) -> None:
        """Set (``None``: clear) the template that logs documents of ``kind`` (§1.3).

        Raises:
            NotFoundError: No such template.
            ValidationError: An unknown kind, or a template with an attachment
                (allowed for Meeting Invitation only).
        """
        with self._uow_factory() as uow:
            setup = uow.interaction_template_setup.get()
            chosen = (
                None
                if template is None
                else uow.interaction_templates.get(_template_code(template))
            )
            setup.assign(kind, chosen)
            uow.interaction_template_setup.save(setup)
            uow.commit()

    def template_for(self, kind: DocumentKind | str) -> Code | None:
        """Return the template that logs documents of ``kind``, if any (§1.3)."""
        with self._uow_factory() as uow:
            return uow.interaction_template_setup.get().template_for(kind)

    # --- logging (§3.4) ------------------------------------------------------------

    def log(
        self,
        *,
        contact_no: str,
        template: str | None = None,
        date: dt.date | None = None,
        idempotency_key: str | None = None,
        **fields: object,
    ) -> InteractionLogEntry:
        """Log an interaction with a contact (BC's Create Interaction, §3.4).

        The template gives the defaults; the salesperson defaults from the contact.
        ``date`` defaults to the work date and the time to the clock's. With an
        ``idempotency_key`` a repeated call returns the entry the first one logged;
        the same key with a different payload is refused. An interaction with a
        campaign (given, or the template's) that is not postponed is logged under
        a campaign entry, found or created per (Campaign No., Segment No., Document
        Type) in the same unit of work (§3.4 Effects, §6.2); the campaign must exist.

        Args:
            contact_no: The person or company.
            template: The interaction template code.
            date: The date of the interaction (default: the work date).
            idempotency_key: Makes the call safe to retry.
            **fields: Other inputs of
                :class:`~relationship_mgmt.domain.interactions.InteractionRequest`
                (``description``, ``cost_lcy``, ``interaction_successful``,
                ``postponed`` ...).

        Raises:
            NotFoundError: No such contact, template, salesperson or campaign.
            PrivacyBlockedError: The contact is blocked due to privacy (§2.15).
            SalespersonBlockedError: The salesperson is blocked (§8).
            IdempotencyConflictError: The key logged a different payload.
            ValidationError: A refused input, or a check on finish failed.
        """
        check_field_names(InteractionRequest, fields)
        request = InteractionRequest(
            contact_no=contact_no,
            template_code=template,
            date=date,
            idempotency_key=idempotency_key,
            **fields,  # type: ignore[arg-type]
        )
        with self._uow_factory() as uow:
            entry = self._log(uow, request)
            uow.commit()
        return entry

    def _log(self, uow: UnitOfWork, request: InteractionRequest) -> InteractionLogEntry:
        key = request.idempotency_key
        if key is not None:
            first = uow.interaction_log.by_idempotency_key(key)
            if first is not None:
                first.ensure_same_payload(request)
                return first
        contact = uow.contacts.get(request.contact_no)
        code = request.template_code
        template = None if code is None else uow.interaction_templates.get(code)
        salesperson = request.salesperson_code or contact.salesperson_code
        _check_salesperson(uow, salesperson, "interaction")
        now = self._clock.now()
        entry = plan_interaction(
            request,
            entry_no=uow.interaction_log.next_entry_no(),
            contact=contact,
            template=template,
            user_id=self._user_id,
            date=self._clock.workdate(),
            time_of_interaction=now.time().replace(microsecond=0),
        )
        caption = (
            None
            if entry.document_type is DocumentType.BLANK
            else DocumentKind.of(entry.document_type).value
        )
        entry = link_campaign_entry(
            uow, entry, user_id=self._user_id, document_caption=caption
        )
        stored = entry.stored_as(1)  # what storage keeps
        uow.interaction_log.add(stored)
        return stored

    def log_document(
        self,
        kind: DocumentKind | str,
        document_no: str,
        *,
        contact_no: str | None = None,
        account: LinkToTable | str = LinkToTable.BLANK,
        account_no: str | None = None,
        date: dt.date | None = None,
        salesperson_code: str | None = None,
        campaign_no: str | None = None,
        description: str = "",
        opportunity_no: str | None = None,
        doc_no_occurrence: int = 0,
        version_no: int = 0,
        idempotency_key: str | None = None,
    ) -> InteractionLogEntry | None:
        """Log a document printed, sent or posted by the host (BC's ``LogDocument``, §3.5).

        The Interaction Template Setup names the template for ``kind`` (§1.3); with
        none, nothing is logged and ``None`` is returned. The document's account is
        either the contact itself (``contact_no``; the salesperson defaults from it)
        or a customer or vendor (``account``, ``account_no``) whose linked contact is
        found through its business relation (§2.8); a customer or vendor linked to
        no contact logs nothing. The date is the work date unless given. With a
        campaign the entry is logged under the campaign entry of (campaign, no
        segment, the document's type), created with the setup field's caption
        (e.g. "Sales Invoices") as its description (§6.2).

        Returns:
            The logged entry, or ``None`` when nothing is logged.

        Raises:
            NotFoundError: No such contact, template, salesperson or campaign.
            ValidationError: The template has languages, or another refused value.
            PrivacyBlockedError: The contact is blocked due to privacy.
            IdempotencyConflictError: The key logged a different document.
        """
        table = to_enum(LinkToTable, "account", account)
        day = date or self._clock.workdate()
        with self._uow_factory() as uow:
            setup = uow.interaction_template_setup.get()
            code = setup.template_for(kind)
            if code is None:
                return None
            if table is LinkToTable.BLANK:
                if contact_no is None:
                    raise ValidationError(
                        "contact_no", None, "is needed when the account is a contact"
                    )
                contact = uow.contacts.get(_contact_no(contact_no))
            else:
                holder = uow.contacts.linked_to(table, account_no or "")
                if holder is None:
                    return None
                contact = uow.contacts.get(holder)
            if idempotency_key is not None:
                first = uow.interaction_log.by_idempotency_key(idempotency_key)
                if first is not None:
                    request = InteractionRequest.for_document(
                        setup=setup,
                        kind=kind,
                        contact_no=contact.no,
                        document_no=document_no,
                        # the defaults the first call filled in
                        date=date or first.date or day,
                        time_of_interaction=first.time_of_interaction,
                        doc_no_occurrence=doc_no_occurrence,
                        version_no=version_no,
                        salesperson_code=salesperson_code,
                        campaign_no=campaign_no,
                        description=description,
                        opportunity_no=opportunity_no,
                        idempotency_key=idempotency_key,
                    )
                    if request is not None:
                        first.ensure_same_payload(request)
                    return first
            salesperson = salesperson_code
            if salesperson is None and table is LinkToTable.BLANK:
                salesperson = contact.salesperson_code
            _check_salesperson(uow, salesperson, "interaction")
            entry = plan_document_log(
                entry_no=uow.interaction_log.next_entry_no(),
                setup=setup,
                kind=kind,
                template=uow.interaction_templates.get(code),
                contact=contact,
                document_no=document_no,
                date=day,
                user_id=self._user_id,
                time_of_interaction=self._clock.now().time().replace(microsecond=0),
                account=table,
                doc_no_occurrence=doc_no_occurrence,
                version_no=version_no,
                salesperson_code=salesperson_code,
                campaign_no=campaign_no,
                description=description,
                opportunity_no=opportunity_no,
                idempotency_key=idempotency_key,
            )
            if entry is None:  # pragma: no cover - the template was checked above
                return None
            entry = link_campaign_entry(
                uow,
                entry,
                user_id=self._user_id,
                document_caption=to_enum(DocumentKind, "kind", kind).value,
            )
            stored = entry.stored_as(1)
            uow.interaction_log.add(stored)
            uow.commit()
        return stored

    # --- reading ---------------------------------------------------------------------

    def get(self, entry_no: int) -> InteractionLogEntry:
        """Return the entry ``entry_no``.

        Raises:
            NotFoundError: No such entry.
        """
        with self._uow_factory() as uow:
            return uow.interaction_log.get(entry_no)

    def list(
        self,
        *,
        contact_no: str | None = None,
        canceled: bool | None = None,
        limit: int | None = None,
        **filters: object,
    ) -> builtins.list[InteractionLogEntry]:
        """Return logged entries, oldest first (newest first with ``limit``).

        ``contact_no`` lists a contact's entries the way BC's *Interaction Log
        Entries* page does from a contact card: a company's include its persons'.
        Other filters are those of
        :class:`~relationship_mgmt.domain.interactions.InteractionFilter`.

        Raises:
            NotFoundError: No such contact.
        """
        with self._uow_factory() as uow:
            check_field_names(InteractionFilter, filters)
            where = InteractionFilter(**filters)
            if contact_no is not None:
                where = self._contact_where(uow, contact_no, where)
            return uow.interaction_log.find(where, canceled=canceled, limit=limit)

    def statistics(
        self,
        *,
        contact_no: str | None = None,
        starting: dt.date | None = None,
        ending: dt.date | None = None,
        **filters: object,
    ) -> InteractionStatistics:
        """Return the interaction FlowFields (§2.2, §3.1, §3.2, §3.6).

        With ``contact_no`` these are the contact's (BC's exact filters: a company
        covers its persons); with ``template_code``, ``group_code``,
        ``salesperson_code`` or ``campaign_no`` those of that record.

        Raises:
            NotFoundError: No such contact.
        """
        with self._uow_factory() as uow:
            check_field_names(InteractionFilter, filters)
            where = InteractionFilter(
                starting=starting,
                ending=ending,
                **filters,
            )
            if contact_no is not None:
                where = self._contact_where(uow, contact_no, where)
            return uow.interaction_log.statistics(where)

    @staticmethod
    def _contact_where(
        uow: UnitOfWork, contact_no: str, where: InteractionFilter
    ) -> InteractionFilter:
        contact: Contact = uow.contacts.get(_contact_no(contact_no))
        own = contact_filter(
            company_no=contact.company_no,
            lookup_contact_no=contact.lookup_contact_no,
        )
        return attrs.evolve(
            where,
            contact_company_no=own.contact_company_no,
            contact_no=own.contact_no,
        )

    # --- working with entries (§3.6) -------------------------------------------------

    def _change(
        self,
        entry_no: int,
        operation: Callable[[UnitOfWork, InteractionLogEntry], InteractionLogEntry],
    ) -> InteractionLogEntry:
        with self._uow_factory() as uow:
            entry = uow.interaction_log.update(
                operation(uow, uow.interaction_log.get(entry_no))
            )
            uow.commit()
        return entry

    def cancel(
        self, entry_no: int, *, remove_attachment: bool = False
    ) -> InteractionLogEntry:
        """Cancel an entry: it counts in no statistic (§3.6).

        Canceling a canceled entry changes nothing. With ``remove_attachment`` the
        entry's attachment is deleted too when no other entry or template uses it
        (BC asks whether to; the entry then keeps no attachment).

        Raises:
            NotFoundError: No such entry.
        """
        attachment = self.get(entry_no).attachment_no if remove_attachment else None
        entry = self._change(
            entry_no,
            lambda _, entry: entry.cancel(remove_attachment=remove_attachment),
        )
        if attachment is not None:
            self._drop_if_unused(attachment)
        return entry

    def uncancel(self, entry_no: int) -> InteractionLogEntry:
        """Undo a cancel (§3.6).

        Refused while the campaign entry the interaction belongs to is canceled
        (un-cancel that one instead, which un-cancels its interactions, §6.2).
        Segments are not stored yet, so a logged segment does not refuse it.

        Raises:
            NotFoundError: No such entry.
            InteractionEntryError: The logged segment or campaign entry is canceled.
        """
        return self._change(
            entry_no,
            lambda uow, entry: entry.uncancel(
                segment_canceled=False,
                campaign_entry_canceled=_campaign_entry_canceled(uow, entry),
            ),
        )

    def evaluate(
        self, entry_no: int, evaluation: Evaluation | str
    ) -> InteractionLogEntry:
        """Set (or with ``""`` clear) an entry's evaluation (§3.6).

        Raises:
            NotFoundError: No such entry.
            ValidationError: An unknown evaluation.
        """
        return self._change(entry_no, lambda _, entry: entry.evaluate(evaluation))

    def resume(self, entry_no: int, **fields: object) -> InteractionLogEntry:
        """Finish a postponed entry under its own number (§3.6 Resume).

        The date becomes the work date unless given. Finishing an entry with a
        campaign finds or creates its campaign entry, as logging does (§3.4, §6.2).

        Raises:
            NotFoundError: No such entry, or no such campaign.
            InvalidTransitionError: The entry is not postponed.
        """

        def resume(uow: UnitOfWork, entry: InteractionLogEntry) -> InteractionLogEntry:
            contact = uow.contacts.get(entry.contact_no or ContactNo(""))
            resumed = entry.resume(
                contact=contact,
                date=fields.pop("date", None) or self._clock.workdate(),  # type: ignore[arg-type]
                user_id=self._user_id,
                **fields,  # type: ignore[arg-type]
            )
            if resumed.campaign_entry_no is not None:
                _target(uow, resumed)
                return resumed
            return link_campaign_entry(uow, resumed, user_id=self._user_id)

        return self._change(entry_no, resume)

    def anonymise(self, entry_no: int) -> InteractionLogEntry:
        """Erase an entry's personal free text (privacy, §2.15).

        Description, subject, contact via and message id are cleared; figures,
        dates and links stay.

        Raises:
            NotFoundError: No such entry.
        """
        return self._change(entry_no, lambda _, entry: entry.anonymise())

    def anonymise_contact(self, contact_no: str) -> int:
        """Erase the personal free text of every entry logged for a contact.

        Returns:
            How many entries were anonymised.
        """
        key = _contact_no(contact_no)
        with self._uow_factory() as uow:
            entries = uow.interaction_log.find(InteractionFilter(contact_no=key))
            for entry in entries:
                uow.interaction_log.update(entry.anonymise())
            uow.commit()
        return len(entries)

    def purge(self, *, before: dt.date | None = None) -> int:
        """Delete canceled entries (BC's *Delete Interaction Log Entries*, §3.6).

        Only canceled entries are ever deleted; an attachment no other entry or
        template uses goes with them. A company that only deleted entries targeted
        leaves an activated campaign's target group (§6.3).

        Args:
            before: Only entries dated before this day.

        Returns:
            How many entries were deleted.
        """
        with self._uow_factory() as uow:
            ending = None if before is None else before - dt.timedelta(days=1)
            where = InteractionFilter(ending=ending)
            doomed = uow.interaction_log.find(where, canceled=True)
            for entry in doomed:
                uow.interaction_log.remove(entry.entry_no)
            refresh_campaign_targets(
                uow,
                (
                    (e.campaign_no, e.contact_company_no)
                    for e in doomed
                    if e.campaign_target
                ),
            )
            uow.commit()
        for no in sorted({e.attachment_no for e in doomed if e.attachment_no}):
            self._drop_if_unused(no)
        return len(doomed)
