"""Duplicate check (查重) on normalised contact data.

Like ``mail.thread.blacklist``, the mixin keeps a normalised copy of the
phone, mobile, email and company name of each record (stored, indexed,
readable by the superuser only) and looks duplicates up on it when a record
is created or claimed, and for the web capture.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..policy import contact as contact_policy


class CrmPoolDuplicateMixin(models.AbstractModel):
    _name = 'crm.pool.duplicate.mixin'
    _description = 'Duplicate Check'

    pool_phone_norm = fields.Char(
        string='Normalized Phone',
        compute='_compute_pool_norm',
        store=True,
        index=True,
        copy=False,
        # technical (SQL only): not loaded with every read of the record
        prefetch=False,
    )
    pool_mobile_norm = fields.Char(
        string='Normalized Mobile',
        compute='_compute_pool_norm',
        store=True,
        index=True,
        copy=False,
        # technical (SQL only): not loaded with every read of the record
        prefetch=False,
    )
    pool_email_norm = fields.Char(
        string='Normalized Email',
        compute='_compute_pool_norm',
        store=True,
        index=True,
        copy=False,
        # technical (SQL only): not loaded with every read of the record
        prefetch=False,
    )
    pool_company_norm = fields.Char(
        string='Normalized Company',
        compute='_compute_pool_norm',
        store=True,
        index=True,
        copy=False,
        # technical (SQL only): not loaded with every read of the record
        prefetch=False,
    )

    # ------------------------------------------------------------------
    # Hooks the concrete models implement
    # ------------------------------------------------------------------
    def _pool_contact_values(self):
        """(phone, mobile, email, company name) used by the duplicate check."""
        return (self.phone, self.mobile, False, False)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_pool_norm(self):
        for record in self:
            phone, mobile, email, company = record._pool_contact_values()
            record.pool_phone_norm = contact_policy.normalize_phone(phone) \
                or False
            record.pool_mobile_norm = contact_policy.normalize_phone(mobile) \
                or False
            record.pool_email_norm = contact_policy.normalize_email(email) \
                or False
            record.pool_company_norm = contact_policy.normalize_company(
                company) or False

    # ------------------------------------------------------------------
    # Look-up and checks
    # ------------------------------------------------------------------
    def _pool_find_duplicates(self):
        """Other records of the same model sharing a normalized contact."""
        self.ensure_one()
        self.env.cr.execute(
            'SELECT pool_phone_norm, pool_mobile_norm, pool_email_norm, '
            'pool_company_norm FROM "%s" WHERE id = %%s' % self._table,
            (self.id,))
        phone, mobile, email, company = self.env.cr.fetchone()
        return self.browse(self._pool_duplicate_ids(
            [phone, mobile], email, company, exclude_id=self.id))

    @api.model
    def _pool_duplicate_ids(self, phones, email, company=None,
                            exclude_id=None, company_id=None, limit=20):
        """Ids of the active records sharing one of the normalized keys
        (the duplicate look-up of create, claim and web capture). Archived
        records (a lost lead) do not make a new enquiry a duplicate."""
        phones = tuple(p for p in phones if p)
        clauses, params = [], []
        if phones:
            clauses += ['pool_phone_norm IN %s', 'pool_mobile_norm IN %s']
            params += [phones, phones]
        if email:
            clauses.append('pool_email_norm = %s')
            params.append(email)
        if company:
            clauses.append('pool_company_norm = %s')
            params.append(company)
        if not clauses:
            return []
        where = ['(%s)' % ' OR '.join(clauses)]
        if exclude_id:
            where.append('id != %s')
            params.append(exclude_id)
        if 'active' in self._fields:
            where.append('active')
        if company_id is not None and 'company_id' in self._fields:
            where.append('company_id IS NOT DISTINCT FROM %s')
            params.append(company_id or None)
        self.env.cr.execute(
            'SELECT id FROM "%s" WHERE %s ORDER BY id LIMIT %d'
            % (self._table, ' AND '.join(where), limit), params)
        return [row[0] for row in self.env.cr.fetchall()]

    def _pool_duplicate_text(self, duplicates):
        # sudo: the duplicates may belong to other salespeople; only their
        # names and owners are shown (the pool's duplicate check policy),
        # never their contact data.
        duplicates = duplicates.sudo()
        return ', '.join(
            '%s (%s)' % (dup.display_name,
                         dup.user_id.name or _("in pool"))
            for dup in duplicates)

    def _pool_check_duplicates_on_create(self):
        # sudo: the pool's duplicate setting and the new record's name are
        # read, and the warning note is posted as superuser: the creator may
        # not read the record once it is in the pool.
        sudo_self = self.sudo()
        mode = sudo_self.pool_id.duplicate_check
        if mode == 'none':
            return
        duplicates = self._pool_find_duplicates()
        if not duplicates:
            return
        if mode == 'block':
            raise ValidationError(_(
                "%(name)s duplicates existing records: %(dups)s.") % {
                'name': sudo_self.display_name,
                'dups': self._pool_duplicate_text(duplicates)})
        sudo_self.message_post(
            body=_("Possible duplicate of: %s")
            % self._pool_duplicate_text(duplicates),
            subtype='mail.mt_note')

    def _pool_check_duplicates_on_claim(self, user, pool_of=None):
        """``pool_of``: {record id: pool (sudo)} already read by the claim."""
        for record in self:
            # sudo: the pool's duplicate setting and the record's name are
            # read, and the warning note is posted as superuser, on a record
            # the claim checks already allowed.
            sudo_record = record.sudo()
            pool = pool_of[record.id] if pool_of else sudo_record.pool_id
            mode = pool.duplicate_check
            if mode == 'none':
                continue
            # sudo: owners of duplicates are compared, nothing is shown
            duplicates = record._pool_find_duplicates().sudo().filtered(
                lambda d: d.user_id and d.user_id != user)
            if not duplicates:
                continue
            if mode == 'block':
                raise UserError(_(
                    "%(name)s duplicates records already owned by other "
                    "salespeople: %(dups)s.") % {
                    'name': sudo_record.display_name,
                    'dups': record._pool_duplicate_text(duplicates)})
            sudo_record.message_post(
                body=_("Claimed although it may duplicate: %s")
                % record._pool_duplicate_text(duplicates),
                subtype='mail.mt_note')
