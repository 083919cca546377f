"""Capped counts for the pool lists of the web client.

A salesperson's pool list counts every record the "own or unassigned in my
pools" rule lets them see: hundreds of thousands of rows per page load, where
an administrator's plain count reads an index. The pool lists (list and
kanban views with the ``crm_pool_capped_*`` js_class, see
static/src/js/capped_pager.js) ask for a count that stops at a limit
(context key ``pool_count_limit``): the pager shows "1-80 / 10000+" and
counts exactly when the user clicks the figure.
"""
from odoo import api, models
from odoo.osv import expression
from odoo.tools import sql

COUNT_LIMIT_PARAM = 'crm_public_pool.count_limit'
DEFAULT_COUNT_LIMIT = 10000


class CrmPoolCountMixin(models.AbstractModel):
    _name = 'crm.pool.count.mixin'
    _description = 'Capped Counts of Pool Lists'

    @api.model_cr
    def init(self):
        super(CrmPoolCountMixin, self).init()
        if self._abstract:
            return
        # The pool lists' order (pool_deadline, id desc) straight from one
        # index: the first page no longer sorts every unowned record (their
        # deadline is empty) of a salesperson's pools. Leading on the
        # deadline, it also serves the policies' "due by now" scans.
        sql.create_index(self.env.cr, '%s_pool_deadline_id_index' % self._table,
                         self._table, ['pool_deadline', 'id DESC'])

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        """With ``count`` and the context key ``pool_count_limit`` (N), count
        at most N + 1 records: the same query as Odoo's count (access
        rights, record rules, the domain as the other concerns rewrote it),
        stopped by a LIMIT."""
        cap = self.env.context.get('pool_count_limit') if count else None
        if not isinstance(cap, int) or isinstance(cap, bool) or cap <= 0:
            return super(CrmPoolCountMixin, self)._search(
                args, offset=offset, limit=limit, order=order, count=count,
                access_rights_uid=access_rights_uid)
        self.sudo(access_rights_uid or self._uid).check_access_rights('read')
        if expression.is_false(self, args):
            return 0
        query = self._where_calc(args)
        self._apply_ir_rules(query, 'read')
        from_clause, where_clause, params = query.get_sql()
        where = where_clause and ' WHERE %s' % where_clause or ''
        self.env.cr.execute(
            'SELECT count(1) FROM (SELECT 1 FROM %s%s LIMIT %%s) capped'
            % (from_clause, where), params + [cap + 1])
        return self.env.cr.fetchone()[0]


class IrHttp(models.AbstractModel):
    _inherit = 'ir.http'

    def session_info(self):
        """The web client learns the count limit of the pool lists."""
        info = super(IrHttp, self).session_info()
        # sudo: a display setting of the web client, no user data.
        value = self.env['ir.config_parameter'].sudo().get_param(
            COUNT_LIMIT_PARAM, DEFAULT_COUNT_LIMIT)
        try:
            info['crm_pool_count_limit'] = max(int(value), 0)
        except ValueError:
            info['crm_pool_count_limit'] = DEFAULT_COUNT_LIMIT
        return info
