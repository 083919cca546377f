"""Duplicate check (查重) on normalised contact data.

Like ``mail.thread.blacklist``, the mixin keeps a normalised copy of the
phone, mobile, email and company name of each record (stored, indexed,
readable by the superuser only) and looks duplicates up on it when a record
is created or claimed, and for the web capture.
"""
from odoo import SUPERUSER_ID, _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from ..policy import contact as contact_policy
from ..policy.claim import NOTES_SQL


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
        records (a lost lead) do not make a new enquiry a duplicate.

        One statement: a ``UNION ALL`` of one look-up per key, each on its
        own index and bounded by ``limit`` (an ``OR`` of the keys would
        combine bitmaps of every match, however common the value)."""
        phones = tuple(sorted({p for p in phones if p}))
        branches = []
        if phones:
            branches += [('pool_phone_norm IN %s', phones),
                         ('pool_mobile_norm IN %s', phones)]
        if email:
            branches.append(('pool_email_norm = %s', email))
        if company:
            branches.append(('pool_company_norm = %s', company))
        if not branches:
            return []
        where, params = [], []
        if exclude_id:
            where.append('id != %s')
            params.append(exclude_id)
        if 'active' in self._fields:
            where.append('active')
        if company_id is not None and 'company_id' in self._fields:
            where.append('company_id IS NOT DISTINCT FROM %s')
            params.append(company_id or None)
        parts, values = [], []
        for clause, value in branches:
            parts.append('(SELECT id FROM "%s" WHERE %s ORDER BY id LIMIT %d)'
                         % (self._table, ' AND '.join([clause] + where),
                            limit))
            values += [value] + params
        self.env.cr.execute(
            'SELECT DISTINCT id FROM (%s) AS hit ORDER BY id LIMIT %d'
            % (' UNION ALL '.join(parts), limit), values)
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
        """The duplicate check of a new record (create, import, capture).

        A few statements whatever the data: the pool's setting and the
        record's keys in one query, one look-up per kind of duplicate (see
        :meth:`_pool_duplicates_on_create`), and when warned one note for
        all of them."""
        self.ensure_one()
        info = self._pool_duplicate_info()
        if not info or info['mode'] in (None, False, 'none'):
            return
        found = self._pool_duplicates_on_create(info)
        if not found:
            return
        if info['mode'] == 'block':
            raise ValidationError(found[0][0])
        self._pool_post_note(_("Possible duplicate of: %s")
                             % ', '.join(note for _block, note in found),
                             record_name=info['name'])

    def _pool_duplicate_info(self):
        """The pool's duplicate setting and the record's owner and keys, in
        one query (read as stored: the creator may not read the record once
        it is in the pool)."""
        self.env.cr.execute("""
            SELECT p.duplicate_check AS mode, r.user_id AS owner,
                   r.pool_phone_norm AS phone, r.pool_mobile_norm AS mobile,
                   r.pool_email_norm AS email, r.pool_company_norm AS company,
                   r.pool_id, r."%s" AS name
              FROM "%s" r LEFT JOIN crm_pool p ON p.id = r.pool_id
             WHERE r.id = %%s""" % (self._pool_name_column(), self._table),
                            (self.id,))
        rows = self.env.cr.dictfetchall()
        return rows[0] if rows else None

    def _pool_duplicates_on_create(self, info):
        """[(refusal, note text)] per kind of duplicate found for the new
        record (``info``: :meth:`_pool_duplicate_info`); here the records
        of the same model, by name and owner."""
        ids = self._pool_duplicate_ids(
            [info['phone'], info['mobile']], info['email'], info['company'],
            exclude_id=self.id)
        if not ids:
            return []
        # Names and owners in one query (the records may belong to other
        # salespeople: names and owners only, never contact data).
        self.env.cr.execute("""
            SELECT r."%s", op.name
              FROM "%s" r
              LEFT JOIN res_users u ON u.id = r.user_id
              LEFT JOIN res_partner op ON op.id = u.partner_id
             WHERE r.id IN %%s ORDER BY r.id"""
                            % (self._pool_name_column(), self._table),
                            (tuple(ids),))
        text = ', '.join('%s (%s)' % (rec_name, owner or _("in pool"))
                         for rec_name, owner in self.env.cr.fetchall())
        return [(_("%(name)s duplicates existing records: %(dups)s.") % {
            'name': info['name'], 'dups': text}, text)]

    def _pool_name_column(self):
        """The stored column that names a record (its display name)."""
        field = self._fields.get('display_name')
        return 'display_name' if field and field.store else self._rec_name

    def _pool_post_note(self, body, record_name=None):
        """A note on the record in one statement (the claim's, without
        tracking or follower), authored by the superuser (a warning of the
        suite, as a message_post in sudo would be); followers of notes, if
        any, are notified the standard way."""
        # sudo: the superuser's partner, the note's author
        root = self.env['res.users'].sudo().browse(SUPERUSER_ID).partner_id
        email_from = tools.formataddr((root.name, root.email)) \
            if root.email else None
        Message = self.env['mail.message']
        self.env.cr.execute(NOTES_SQL, {
            'model': self._name, 'ids': self.ids,
            'now': fields.Datetime.now(), 'names': [record_name],
            'message_ids': [Message._get_message_id(
                {'model': self._name, 'res_id': self.id})],
            'reply_to': [email_from],
            'body': Message._fields['body'].convert_to_column(body, Message),
            'subtype': self.env['ir.model.data'].xmlid_to_res_id(
                'mail.mt_note'),
            'author': root.id, 'email_from': email_from,
            'root': SUPERUSER_ID, 'actor_partner': root.id,
            # no tracking value, no follower
            'field': None, 'field_desc': None, 'old_ids': [], 'old_names': [],
            'new_id': None, 'new_name': None, 'partner': None,
            'subtypes': [], 'follow': False, 'note_new': False,
        })
        notified = [row[0] for row in self.env.cr.fetchall() if row[1]]
        self.invalidate_cache(['message_ids'], self.ids)
        if notified:
            # sudo: the note was written as the superuser's
            Message.sudo().browse(notified)._notify()

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
