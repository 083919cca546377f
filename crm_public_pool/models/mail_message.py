"""Chatter of masked pool records: contact data masked for salespeople.

A customer's email, a note quoting a number or the capture endpoint's
duplicate note on an unclaimed record of a masked pool would show the
contact data the record's fields hide. For a user who may not see it, every
email address and phone number in such a message (body, subject, sender,
tracked values) is masked on its way to the client; the stored message is
untouched and the owner and the pool's managers read it whole.
"""
from odoo import api, models

from ..policy import contact as contact_policy

MESSAGE_TEXT_FIELDS = ('body', 'subject', 'email_from', 'reply_to',
                       'record_name')


class MailMessage(models.Model):
    _inherit = 'mail.message'

    def _pool_models(self):
        """The models that hold pool records (inherit crm.pool.mixin)."""
        return [name for name in self.env['crm.pool.mixin']._inherit_children
                if not self.env[name]._abstract]

    def _pool_masking_user(self):
        return self.env['crm.pool.mixin']._pool_masking_user()

    def _pool_masked_message_ids(self):
        """Ids among ``self`` of messages on records whose contact data the
        current user may not see."""
        ids = [mid for mid in self.ids if isinstance(mid, int)]
        models_ = [model for model in self._pool_models()
                   if self.env[model]._pool_masking_pool_ids()]
        if not ids or not models_ or not self._pool_masking_user():
            return set()
        self.env.cr.execute(
            'SELECT id, model, res_id FROM mail_message '
            'WHERE id IN %s AND model IN %s AND res_id IS NOT NULL',
            (tuple(ids), tuple(models_)))
        by_model = {}
        for message_id, model, res_id in self.env.cr.fetchall():
            by_model.setdefault(model, {}).setdefault(res_id, []).append(
                message_id)
        masked = set()
        for model, messages in by_model.items():
            for res_id in self.env[model].browse(
                    list(messages))._pool_masked_ids():
                masked.update(messages[res_id])
        return masked

    @api.model
    def _pool_masked_records_query(self):
        """SQL of the messages on records masked for the current user."""
        parts, params = [], []
        for model in self._pool_models():
            parts.append("""
                SELECT m.id FROM mail_message m
                JOIN "{table}" t ON m.model = %s AND m.res_id = t.id
                JOIN crm_pool p ON p.id = t.pool_id
                WHERE t.user_id IS NULL AND p.mask_contact
                  AND NOT EXISTS (SELECT 1 FROM crm_pool_manager_rel r
                                  WHERE r.pool_id = p.id AND r.user_id = %s)
            """.format(table=self.env[model]._table))
            params += [model, self.env.uid]
        return ' UNION ALL '.join(parts), params

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        """A search on a message's text leaves out the messages whose text
        the user reads masked (else ``body ilike '1381%'`` would rebuild a
        hidden number one digit at a time)."""
        if args and self._pool_masking_user() and any(
                self.env[model]._pool_masking_pool_ids()
                for model in self._pool_models()) and any(
                isinstance(term, (list, tuple)) and len(term) == 3
                and isinstance(term[0], str)
                and term[0].split('.')[0] in MESSAGE_TEXT_FIELDS
                for term in args):
            self = self.with_context(pool_guard_message_text=True)
        return super(MailMessage, self)._search(
            args, offset=offset, limit=limit, order=order, count=count,
            access_rights_uid=access_rights_uid)

    @api.model
    def _apply_ir_rules(self, query, mode='read'):
        super(MailMessage, self)._apply_ir_rules(query, mode=mode)
        if mode == 'read' and self.env.context.get('pool_guard_message_text'):
            sql, params = self._pool_masked_records_query()
            query.where_clause.append(
                '"mail_message"."id" NOT IN (%s)' % sql)
            query.where_clause_params.extend(params)

    def _pool_mask_rows(self, rows, masked):
        for row in rows:
            if row.get('id') not in masked:
                continue
            for name in MESSAGE_TEXT_FIELDS:
                if isinstance(row.get(name), str):
                    row[name] = contact_policy.mask_text(row[name])
            author = row.get('author_id')
            if isinstance(author, (list, tuple)) and len(author) == 2 \
                    and isinstance(author[1], str):
                row['author_id'] = (author[0],
                                    contact_policy.mask_text(author[1]))
            for tracking in row.get('tracking_value_ids') or []:
                if isinstance(tracking, dict):
                    for key in ('old_value', 'new_value'):
                        tracking[key] = contact_policy.mask_text(
                            tracking.get(key))
        return rows

    @api.multi
    def read(self, fields=None, load='_classic_read'):
        rows = super(MailMessage, self).read(fields=fields, load=load)
        masked = self._pool_masked_message_ids()
        return self._pool_mask_rows(rows, masked) if masked else rows

    @api.multi
    def message_format(self):
        rows = super(MailMessage, self).message_format()
        masked = self._pool_masked_message_ids()
        return self._pool_mask_rows(rows, masked) if masked else rows

    @api.multi
    def _export_rows(self, fields, batch_invalidate=True):
        lines = super(MailMessage, self)._export_rows(
            fields, batch_invalidate=batch_invalidate)
        if lines and self._pool_masking_user() \
                and self._pool_masked_message_ids():
            # exported lines do not say which message they come from: mask
            # the text of every line of an export that holds a masked one
            lines = [[contact_policy.mask_text(value) for value in line]
                     for line in lines]
        return lines

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        result = super(MailMessage, self).read_group(
            domain, fields, groupby, offset=offset, limit=limit,
            orderby=orderby, lazy=lazy)
        groupby = [groupby] if isinstance(groupby, str) else (groupby or [])
        names = [g.split(':')[0] for g in groupby
                 if g.split(':')[0] in MESSAGE_TEXT_FIELDS]
        if names and self._pool_masking_user():
            for group in result:
                for name in names:
                    group[name] = contact_policy.mask_text(group.get(name))
                if '__domain' in group:
                    group['__domain'] = [
                        (leaf[0], leaf[1], contact_policy.mask_text(leaf[2]))
                        if isinstance(leaf, (list, tuple)) and len(leaf) == 3
                        and leaf[0] in names else leaf
                        for leaf in group['__domain']]
        return result
