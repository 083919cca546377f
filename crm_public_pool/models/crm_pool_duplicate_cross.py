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

On create, one note carries both kinds of duplicates, and each look-up is
one ``UNION ALL`` statement of bounded index look-ups (one per key) that
returns the owners' names too: the whole check the user waits for is a few
statements (crm_pool_duplicate.py).
"""
from odoo import _, models
from odoo.exceptions import UserError

CROSS_LIMIT = 20


class CrmPoolDuplicateMixin(models.AbstractModel):
    _inherit = 'crm.pool.duplicate.mixin'

    def _pool_duplicates_on_create(self, info):
        found = super(CrmPoolDuplicateMixin, self)._pool_duplicates_on_create(
            info)
        if self._name not in CROSS_MODELS:
            return found
        rows = [row for row in CROSS_MODELS[self._name](self, info)
                if row[1] != info['owner'] or not row[1]]
        if not rows:
            return found
        refusal = None
        if info['mode'] == 'block' and not found:
            refusal = _("This record duplicates: %s.") \
                % self._pool_cross_text(rows, True)
        return found + [(refusal, self._pool_cross_text(rows))]

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
    # Look-up (one statement per side, on the indexed normalised columns)
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
        for row in rows:
            record_id, owner_id = row[:2]
            what = label
            if record_id in readable:
                what = '%s "%s"' % (label, Target.browse(record_id).name)
            if owner_id:
                owner = row[2] if len(row) > 2 else users.browse(owner_id).name
                parts.append(_("%(what)s (owner: %(owner)s)") % {
                    'what': what, 'owner': owner})
            else:
                parts.append(_("%s (in the pool)") % what)
        return ', '.join(parts)


def _norm_branches(alias, phones, emails, company):
    """One (condition, value) per normalised key to look up."""
    branches = []
    phones = tuple(sorted({p for p in phones if p}))
    emails = tuple(sorted({e for e in emails if e}))
    if phones:
        branches += [('%s.pool_phone_norm IN %%s' % alias, phones),
                     ('%s.pool_mobile_norm IN %%s' % alias, phones)]
    if emails:
        branches.append(('%s.pool_email_norm IN %%s' % alias, emails))
    if company:
        branches.append(('%s.pool_company_norm = %%s' % alias, company))
    return branches


def _union_lookup(cr, branch_sql, branches, params):
    """Run ``branch_sql`` (a SELECT of ``id, user_id`` with ``{key}`` for a
    key's condition and ``%s`` placeholders for ``params``) once per key,
    each on its own index and bounded, in one ``UNION ALL`` statement;
    returns ``[(id, owner id, owner name)]``, at most CROSS_LIMIT."""
    if not branches:
        return []
    parts, values = [], []
    for condition, value in branches:
        parts.append('(%s ORDER BY 1 LIMIT %d)'
                     % (branch_sql.format(key=condition), CROSS_LIMIT))
        values += [value] + list(params)
    cr.execute("""
        SELECT DISTINCT hit.id, hit.user_id, op.name
          FROM (%s) AS hit
          LEFT JOIN res_users u ON u.id = hit.user_id
          LEFT JOIN res_partner op ON op.id = u.partner_id
         ORDER BY hit.id LIMIT %d""" % (' UNION ALL '.join(parts), CROSS_LIMIT),
               values)
    return cr.fetchall()


def _lead_to_customers(lead, info=None):
    """Customers (commercial entities that someone owns or that wait in a
    pool) whose own or contact persons' keys match the lead's, except the
    lead's own customer; ``info``: the lead's keys, if already read."""
    cr = lead.env.cr
    if info is None:
        cr.execute("""
            SELECT pool_phone_norm AS phone, pool_mobile_norm AS mobile,
                   pool_email_norm AS email, pool_company_norm AS company
              FROM crm_lead WHERE id = %s""", (lead.id,))
        info = cr.dictfetchone()
    branches = _norm_branches('p', [info['phone'], info['mobile']],
                              [info['email']], info['company'])
    return _union_lookup(cr, """
        SELECT c.id, c.user_id
          FROM res_partner p
          JOIN res_partner c ON c.id = COALESCE(p.commercial_partner_id, p.id)
         WHERE {key} AND p.active AND c.active
           AND (c.user_id IS NOT NULL OR c.pool_id IS NOT NULL)
           AND c.id IS DISTINCT FROM (
               SELECT lp.commercial_partner_id FROM crm_lead l
                 JOIN res_partner lp ON lp.id = l.partner_id
                WHERE l.id = %s)""", branches, [lead.id])


def _customer_to_leads(partner, info=None):
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
    return _union_lookup(cr, """
        SELECT l.id, l.user_id FROM crm_lead l
          LEFT JOIN res_partner lp ON lp.id = l.partner_id
         WHERE {key} AND l.active
           AND lp.commercial_partner_id IS DISTINCT FROM %s""",
                         _norm_branches('l', phones, emails, company),
                         [partner.id])


CROSS_MODELS = {'crm.lead': _lead_to_customers,
                'res.partner': _customer_to_leads}
CROSS_TARGET = {'crm.lead': 'res.partner', 'res.partner': 'crm.lead'}
