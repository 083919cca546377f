"""Masking of pool records' contact data where it leaves the server.

The ORM cache always holds the real values: server code (merge, convert,
the duplicate check, computed fields) works on them and can never write a
placeholder back. Values are masked on their way to a client only: ``read``
(and so ``search_read`` and the web client's form and list loads),
exports, ``name_get``, groupings, onchange results and the suggested
recipients of the chatter. Conditions on masked fields in searches only
match records whose data the user sees.
"""
from odoo import api, models, tools

from ..policy import contact as contact_policy

# Normalized contact copies, readable by the superuser only.
NORM_FIELDS = ('pool_phone_norm', 'pool_mobile_norm', 'pool_email_norm',
               'pool_company_norm')


class CrmPoolMaskMixin(models.AbstractModel):
    """Contact data of unclaimed records of a masked pool, hidden from the
    salespeople who may claim them (pool managers see it)."""

    _name = 'crm.pool.mask.mixin'
    _description = 'Public Pool Contact Masking'

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------
    def _pool_mask_fields(self):
        """{field name: 'phone' | 'email'} masked while in a masked pool."""
        return {'phone': 'phone', 'mobile': 'phone'}

    # ------------------------------------------------------------------
    # Who sees what
    # ------------------------------------------------------------------
    def _pool_masking_user(self):
        """Whether the current user may see masked values at all."""
        user = self.env.user
        return not user._is_superuser() and not user.has_group(
            'sales_team.group_sale_manager')

    @tools.ormcache('self._name')
    def _pool_masking_pool_ids(self):
        """Ids of the pools of this model that mask contact data (cached
        like the record rules: pool changes clear the registry caches)."""
        self.env.cr.execute(
            'SELECT id FROM crm_pool WHERE mask_contact AND res_model = %s '
            'ORDER BY id', (self._name,))
        return tuple(row[0] for row in self.env.cr.fetchall())

    def _pool_masked_ids(self):
        """Ids among ``self`` whose contact data the current user may not see."""
        ids = [rid for rid in self.ids if isinstance(rid, int)]
        masking = self._pool_masking_pool_ids()
        if not ids or not masking or not self._pool_masking_user():
            return []
        ids = self._pool_maybe_in_pools(ids, set(masking))
        if not ids:
            return []
        self.env.cr.execute("""
            SELECT t.id FROM "%s" t JOIN crm_pool p ON p.id = t.pool_id
            WHERE t.id IN %%s AND t.user_id IS NULL AND p.mask_contact
              AND NOT EXISTS (SELECT 1 FROM crm_pool_manager_rel r
                              WHERE r.pool_id = p.id AND r.user_id = %%s)
        """ % self._table, (tuple(ids), self.env.uid))
        return [row[0] for row in self.env.cr.fetchall()]

    def _pool_maybe_in_pools(self, ids, pool_ids):
        """``ids`` without the records whose pool, already in the cache (a
        read just loaded it), is none of ``pool_ids``: no query for the
        records of a list that are in no masking pool."""
        field = self._fields['pool_id']
        cache = self.env.cache
        kept = []
        for record in self.browse(ids):
            if cache.contains(record, field):
                # Odoo 11 caches a many2one as a tuple of ids
                pool = cache.get(record, field)
                if isinstance(pool, models.BaseModel):
                    pool = pool.ids
                pool_id = pool[0] if isinstance(pool, (tuple, list)) and pool \
                    else pool
                if pool_id not in pool_ids:
                    continue
            kept.append(record.id)
        return kept

    def _pool_unmasked_domain(self):
        """Domain of the records whose contact data the current user sees
        (the negation of :meth:`_pool_masked_ids`). On the record's own
        columns only: users who may not read pools (any employee may search
        contacts, e.g. for an @mention) search with it too."""
        masking = self._pool_masking_pool_ids()
        if masking:
            self.env.cr.execute(
                'SELECT pool_id FROM crm_pool_manager_rel '
                'WHERE user_id = %s AND pool_id IN %s',
                (self.env.uid, masking))
            masking = set(masking) - {row[0] for row in self.env.cr.fetchall()}
        if not masking:
            return [(1, '=', 1)]
        return ['|', '|', ('user_id', '!=', False), ('pool_id', '=', False),
                ('pool_id', 'not in', sorted(masking))]

    @api.model
    def _pool_mask_value(self, kind, value):
        if not value or not isinstance(value, str):
            return value
        if kind == 'hidden':
            return '***'
        if kind == 'email':
            return contact_policy.mask_email(
                contact_policy.normalize_email(value))
        return contact_policy.mask_phone(value)

    def _pool_mask_dicts(self, rows):
        """Mask the values of ``rows`` (dicts with an ``id``, as ``read``
        returns them) in place; the normalized copies are emptied."""
        if not rows:
            return rows
        superuser = self.env.user._is_superuser()
        hidden = [name for name in NORM_FIELDS if name in rows[0]]
        if hidden and not superuser:
            # The normalized contact copies are for the duplicate check (SQL)
            # only: nobody reads them through the ORM, masked or not.
            for row in rows:
                row.update(dict.fromkeys(hidden, False))
        masked_fields = self._pool_mask_fields()
        names = [name for name in masked_fields if name in rows[0]]
        if not names:
            return rows
        masked = set(self.browse([row['id'] for row in rows])._pool_masked_ids())
        for row in rows:
            if row['id'] in masked:
                for name in names:
                    row[name] = self._pool_mask_value(masked_fields[name],
                                                      row[name])
        return rows

    # ------------------------------------------------------------------
    # Where data leaves the server
    # ------------------------------------------------------------------
    @api.multi
    def read(self, fields=None, load='_classic_read'):
        rows = super(CrmPoolMaskMixin, self).read(fields=fields, load=load)
        return self._pool_mask_dicts(rows)

    @api.multi
    def _export_rows(self, fields, batch_invalidate=True):
        if not self._pool_masking_user():
            return super(CrmPoolMaskMixin, self)._export_rows(
                fields, batch_invalidate=batch_invalidate)
        masked_fields = dict(self._pool_mask_fields(),
                             **{name: 'hidden' for name in NORM_FIELDS})
        columns = [(index, masked_fields[path[0]])
                   for index, path in enumerate(fields)
                   if len(path) == 1 and path[0] in masked_fields]
        if not columns:
            return super(CrmPoolMaskMixin, self)._export_rows(
                fields, batch_invalidate=batch_invalidate)
        masked = set(self._pool_masked_ids())
        lines = []
        # consecutive runs of masked / unmasked records keep the order
        run, run_masked = [], None
        for record_id in self.ids + [None]:
            is_masked = record_id in masked
            if run and (record_id is None or is_masked != run_masked):
                chunk = super(CrmPoolMaskMixin, self.browse(run))._export_rows(
                    fields, batch_invalidate=batch_invalidate)
                for line in chunk:
                    for index, kind in columns:
                        if kind == 'hidden':
                            line[index] = False
                        elif run_masked:
                            line[index] = self._pool_mask_value(kind,
                                                                line[index])
                lines += chunk
                run = []
            run.append(record_id)
            run_masked = is_masked
        return lines

    @api.multi
    def name_get(self):
        return self._pool_mask_names(super(CrmPoolMaskMixin, self).name_get())

    def _pool_mask_names(self, result):
        """``name_get`` results with the contact data in the names of masked
        records masked (res.partner, which builds its names itself, calls
        it from its own override)."""
        masked = set(self._pool_masked_ids()) if result else set()
        if not masked:
            return result
        return [(rid, contact_policy.mask_text(name) if rid in masked
                 else name) for rid, name in result]

    @api.multi
    def onchange(self, values, field_name, field_onchange):
        result = super(CrmPoolMaskMixin, self).onchange(
            values, field_name, field_onchange)
        changed = result.get('value')
        if changed and self.ids and self._pool_masked_ids():
            masked_fields = self._pool_mask_fields()
            for name in set(changed) & set(masked_fields):
                changed[name] = self._pool_mask_value(masked_fields[name],
                                                      changed[name])
        return result

    def _pool_mask_default_recipients(self, result):
        """Default recipients ({id: {'email_to': ..., ...}}) with the
        addresses of masked records masked."""
        masked = set(self._pool_masked_ids())
        for rid in masked & set(result):
            result[rid] = {
                key: contact_policy.mask_text(value)
                if isinstance(value, str) else value
                for key, value in result[rid].items()}
        return result

    def _pool_mask_recipients(self, result):
        """Suggested recipients of the chatter ({id: [(partner id, 'Name
        <email>', reason)]}) with the addresses of masked records masked.
        Called by the concrete models (mail.thread does not chain it)."""
        masked = set(self._pool_masked_ids())
        for rid in masked & set(result):
            result[rid] = [
                tuple(contact_policy.mask_text(item) if isinstance(item, str)
                      else item for item in recipient)
                for recipient in result[rid]]
        return result

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        if (args or order) and self._pool_mentions_hidden(args, order) \
                and self._pool_masking_user():
            args = self._pool_guard_masked_domain(args or [])
            order = self._pool_guard_order(order)
        return super(CrmPoolMaskMixin, self)._search(
            args, offset=offset, limit=limit, order=order, count=count,
            access_rights_uid=access_rights_uid)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        if domain and self._pool_mentions_hidden(domain) \
                and self._pool_masking_user():
            domain = self._pool_guard_masked_domain(domain)
        result = super(CrmPoolMaskMixin, self).read_group(
            domain, fields, groupby, offset=offset, limit=limit,
            orderby=orderby, lazy=lazy)
        masked_fields = dict(self._pool_mask_fields(),
                             **{name: 'hidden' for name in NORM_FIELDS})
        groupby = [groupby] if isinstance(groupby, str) else (groupby or [])
        names = [g.split(':')[0] for g in groupby
                 if g.split(':')[0] in masked_fields]
        if not names or not self._pool_masking_user():
            return result
        for group in result:
            for name in names:
                if group.get(name):
                    group[name] = self._pool_mask_value(
                        masked_fields[name], group[name])
            if '__domain' in group:
                group['__domain'] = [
                    (leaf[0], leaf[1], self._pool_mask_value(
                        masked_fields[leaf[0]], leaf[2]))
                    if isinstance(leaf, (list, tuple)) and len(leaf) == 3
                    and leaf[0] in names and isinstance(leaf[2], str)
                    else leaf
                    for leaf in group['__domain']]
        return result

    @api.model
    def _pool_guard_masked_domain(self, domain):
        """``domain`` where a condition on a masked field only matches the
        records whose value the user may see.

        Otherwise a salesperson could rebuild a masked number one digit at a
        time (``phone ilike '1381%'``). Asking whether one exact value exists
        stays allowed: that is what the duplicate check (查重) answers anyway,
        and what Odoo's mail gateway asks (``email =ilike address``) to find
        a customer; the wildcards of such a ``=like``/``=ilike`` are taken
        literally (``zhang_wei@corp.cn`` is found, ``138____5678`` matches
        nothing).
        """
        hidden = set(self._pool_mask_fields()) | set(NORM_FIELDS)

        def on_hidden(term):
            return (isinstance(term, (list, tuple)) and len(term) == 3
                    and isinstance(term[0], str)
                    and term[0].split('.')[0] in hidden)
        # several exact values asked at once ('|'-joined) are a list of
        # candidates, like an 'in': guarded as well
        single = len([term for term in domain if on_hidden(term)]) <= 1
        guarded = []
        for term in domain:
            if on_hidden(term):
                field, operator, value = term
                literal = operator in ('=like', '=ilike') \
                    and isinstance(value, str)
                exact = single and (literal or contact_policy
                                    .is_exact_condition(operator, value))
                if exact and literal:
                    term = (field, operator, contact_policy.escape_like(value))
                elif not exact:
                    guarded += ['&', term] + self._pool_unmasked_domain()
                    continue
            guarded.append(term)
        return guarded

    @api.model
    def _pool_mentions_hidden(self, domain, order=None):
        """Whether a domain or an order names a masked field (a cheap test
        before the user's groups are looked at)."""
        hidden = set(self._pool_mask_fields()) | set(NORM_FIELDS)
        text = '%s %s' % (order or '', ' '.join(
            term[0] for term in domain or []
            if isinstance(term, (list, tuple)) and term
            and isinstance(term[0], str)))
        return any(name in text for name in hidden)

    @api.model
    def _pool_guard_order(self, order):
        """``order`` without the masked fields: sorting masked records by
        their hidden values would tell them apart (a binary search)."""
        if not order:
            return order
        hidden = set(self._pool_mask_fields()) | set(NORM_FIELDS)
        kept = [part for part in order.split(',')
                if part.strip().split(' ')[0].strip('"') not in hidden]
        return ','.join(kept) or None
