# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Duplicates across models (撞单): a lead against customers, a customer
against leads.

Creating or claiming a pool lead looks for customers (commercial partners
that someone owns or that wait in a pool) sharing its normalised phone,
mobile, email or company name, contact persons (child contacts) included;
creating or claiming a pool customer looks for leads sharing its own or its
contact persons' phone, mobile or email, or its company name. The pool's
duplicate setting applies (warn: a note; block: a refusal). Neither the
note nor the refusal shows contact data; the refusal names only records
the user may read, the note (read later by others) names none.
"""
from odoo import _, models
from odoo.exceptions import UserError, ValidationError

CROSS_LIMIT = 20


class CrmPoolDuplicateMixin(models.AbstractModel):
    _inherit = 'crm.pool.duplicate.mixin'

    def _pool_check_duplicates_on_create(self):
        super(CrmPoolDuplicateMixin, self)._pool_check_duplicates_on_create()
        # sudo: the pool's setting and the new record's owner are read; the
        # creator may not read the record once it is in the pool.
        sudo_self = self.sudo()
        mode = sudo_self.pool_id.duplicate_check
        if mode in ('none', False) or self._name not in CROSS_MODELS:
            return
        rows = [row for row in self._pool_cross_duplicate_rows()
                if row[1] != sudo_self.user_id.id or not row[1]]
        if not rows:
            return
        if mode == 'block':
            raise ValidationError(_(
                "This record duplicates: %s.") % self._pool_cross_text(rows, True))
        sudo_self.message_post(
            body=_("Possible duplicate of: %s") % self._pool_cross_text(rows),
            subtype='mail.mt_note')

    def _pool_check_duplicates_on_claim(self, user, pool_of=None):
        super(CrmPoolDuplicateMixin, self)._pool_check_duplicates_on_claim(
            user, pool_of=pool_of)
        if self._name not in CROSS_MODELS:
            return
        for record in self:
            # sudo: the pool's setting is read and the note posted as
            # superuser, on a record the claim checks already allowed.
            sudo_record = record.sudo()
            pool = pool_of[record.id] if pool_of else sudo_record.pool_id
            if pool.duplicate_check == 'none':
                continue
            rows = [row for row in record._pool_cross_duplicate_rows()
                    if row[1] and row[1] != user.id]
            if not rows:
                continue
            if pool.duplicate_check == 'block':
                raise UserError(_(
                    "This record duplicates: %s.")
                    % record._pool_cross_text(rows, True))
            sudo_record.message_post(
                body=_("Claimed although it may duplicate: %s")
                % record._pool_cross_text(rows),
                subtype='mail.mt_note')

    # ------------------------------------------------------------------
    # Look-up (one query on each side, on the indexed normalised columns)
    # ------------------------------------------------------------------
    def _pool_cross_duplicate_rows(self):
        """[(id, owner id or None)] of the other model's duplicates."""
        self.ensure_one()
        return CROSS_MODELS[self._name](self)

    def _pool_cross_text(self, rows, names=False):
        """'customer (owner: Li Na), customer (in the pool)': owners only,
        plus (``names``) the names of the records the user may read."""
        model = CROSS_TARGET[self._name]
        Target = self.env[model]
        readable = set()
        if names:
            readable = set(Target.search([('id', 'in', [r[0] for r in rows])]).ids)
        label = Target._pool_label()
        # sudo: the owners' names only (the public search shows them too).
        users = self.env['res.users'].sudo()
        parts = []
        for record_id, owner_id in rows:
            what = label
            if record_id in readable:
                what = '%s "%s"' % (label, Target.browse(record_id).name)
            if owner_id:
                parts.append(_("%(what)s (owner: %(owner)s)") % {
                    'what': what, 'owner': users.browse(owner_id).name})
            else:
                parts.append(_("%s (in the pool)") % what)
        return ', '.join(parts)


def _norm_clauses(alias, phones, emails, company):
    clauses, params = [], []
    phones = tuple(sorted({p for p in phones if p}))
    emails = tuple(sorted({e for e in emails if e}))
    if phones:
        clauses += ['%s.pool_phone_norm IN %%s' % alias,
                    '%s.pool_mobile_norm IN %%s' % alias]
        params += [phones, phones]
    if emails:
        clauses.append('%s.pool_email_norm IN %%s' % alias)
        params.append(emails)
    if company:
        clauses.append('%s.pool_company_norm = %%s' % alias)
        params.append(company)
    return clauses, params


def _lead_to_customers(lead):
    """Customers (commercial entities that someone owns or that wait in a
    pool) whose own or contact persons' keys match the lead's, except the
    lead's own customer."""
    cr = lead.env.cr
    cr.execute("""
        SELECT l.pool_phone_norm, l.pool_mobile_norm, l.pool_email_norm,
               l.pool_company_norm, p.commercial_partner_id
        FROM crm_lead l LEFT JOIN res_partner p ON p.id = l.partner_id
        WHERE l.id = %s""", (lead.id,))
    phone, mobile, email, company, own_customer = cr.fetchone()
    clauses, params = _norm_clauses('p', [phone, mobile], [email], company)
    if not clauses:
        return []
    cr.execute("""
        SELECT DISTINCT c.id, c.user_id
        FROM res_partner p
        JOIN res_partner c ON c.id = COALESCE(p.commercial_partner_id, p.id)
        WHERE (%s) AND p.active AND c.active
          AND (c.user_id IS NOT NULL OR c.pool_id IS NOT NULL)
          AND c.id != %%s
        ORDER BY c.id LIMIT %d""" % (' OR '.join(clauses), CROSS_LIMIT),
               params + [own_customer or 0])
    return cr.fetchall()


def _customer_to_leads(partner):
    """Active leads whose keys match the customer's own or its contact
    persons' phone, mobile or email, or its company name; the leads of this
    customer excepted."""
    cr = partner.env.cr
    cr.execute("""
        SELECT p.pool_phone_norm, p.pool_mobile_norm, p.pool_email_norm,
               p.pool_company_norm, p.id = c.id
        FROM res_partner c
        JOIN res_partner p ON p.id = c.id OR p.commercial_partner_id = c.id
        WHERE c.id = %s AND p.active""", (partner.id,))
    phones, emails, company = [], [], None
    for phone, mobile, email, company_norm, is_self in cr.fetchall():
        phones += [phone, mobile]
        emails.append(email)
        if is_self:
            company = company_norm
    clauses, params = _norm_clauses('l', phones, emails, company)
    if not clauses:
        return []
    cr.execute("""
        SELECT l.id, l.user_id FROM crm_lead l
        LEFT JOIN res_partner lp ON lp.id = l.partner_id
        WHERE (%s) AND l.active
          AND lp.commercial_partner_id IS DISTINCT FROM %%s
        ORDER BY l.id LIMIT %d""" % (' OR '.join(clauses), CROSS_LIMIT),
               params + [partner.id])
    return cr.fetchall()


CROSS_MODELS = {'crm.lead': _lead_to_customers,
                'res.partner': _customer_to_leads}
CROSS_TARGET = {'crm.lead': 'res.partner', 'res.partner': 'crm.lead'}
