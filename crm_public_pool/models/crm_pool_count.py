"""Pool list queries of the web client: capped counts and first pages.

Counts: a salesperson's pool list counts every record the "own or unassigned
in my pools" rule lets them see: hundreds of thousands of rows per page load,
where an administrator's plain count reads an index. The pool lists (list and
kanban views with the ``crm_pool_capped_*`` js_class, see
static/src/js/capped_pager.js) ask for a count that stops at a limit
(context key ``pool_count_limit``): the pager shows "1-80 / 10000+" and
counts exactly when the user clicks the figure.

Pages: the pool lists' order is ``pool_deadline, id desc``. Owned records
have a deadline and unowned ones none, so in that order every colleague's
record comes before the first unowned one. Read from one index, the page of
a salesperson (who sees only their own and the unowned records) would step
over all of them first: 300,000 rows of a pool of a million. The page is
read instead as two ordered parts that each come straight from an index,
merged by PostgreSQL: the salesperson's own records and the unowned ones
(see :meth:`CrmPoolCountMixin._pool_split_page`).
"""
from psycopg2 import sql as pgsql

from odoo import api, models, tools
from odoo.osv import expression
from odoo.tools import sql

COUNT_LIMIT_PARAM = 'crm_public_pool.count_limit'
DEFAULT_COUNT_LIMIT = 10000
# the order of the pool lists (views' default_order), normalized
POOL_LIST_ORDERS = (('pool_deadline', 'id desc'),
                    ('pool_deadline asc', 'id desc'))

# the partial indexes of the two parts of a salesperson's page
PAGE_INDEXES = (
    ('pool_unowned_deadline_id', '(pool_deadline, id DESC) '
     'WHERE user_id IS NULL AND pool_id IS NOT NULL'),
    ('pool_owner_deadline_id', '(user_id, pool_deadline, id DESC) '
     'WHERE user_id IS NOT NULL AND pool_id IS NOT NULL'),
    # the unowned part of a capped count by pool state (kanban columns)
    ('pool_unowned_state', '(pool_state) '
     'WHERE user_id IS NULL AND pool_id IS NOT NULL'),
)


def _normalized_order(order):
    return tuple(' '.join(part.lower().split())
                 for part in (order or '').split(','))


def _subtree_end(domain, start):
    """Index after the subtree of the prefix ``domain`` at ``start``."""
    needed, index = 1, start
    while needed:
        token = domain[index]
        index += 1
        if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
            needed += 1
        elif token != expression.NOT_OPERATOR:
            needed -= 1
    return index


def _conjuncts(domain):
    """The terms of the top-level AND of the normalized ``domain``."""
    terms, starts = [], [0]
    while starts:
        start = starts.pop()
        if domain[start] == expression.AND_OPERATOR:
            starts.append(_subtree_end(domain, start + 1))
            starts.append(start + 1)
        else:
            terms.append(domain[start:_subtree_end(domain, start)])
    return terms


def _top_leaves(args):
    """The leaves of the top-level AND of the domain ``args``."""
    if not args:
        return []
    return [term[0] for term in _conjuncts(expression.normalize_domain(args))
            if len(term) == 1 and expression.is_leaf(term[0])
            and not isinstance(term[0][0], int)]


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and value


def _pool_records_only(leaves):
    """Whether the top-level ``leaves`` of a domain match pool records only:
    one of them needs a pool (``pool_id`` set, equal to or in pools)."""
    for name, operator, value in leaves:
        if name != 'pool_id':
            continue
        if operator == '!=' and value is False:
            return True
        if operator == '=' and _is_id(value):
            return True
        if operator == 'in' and isinstance(value, (list, tuple)) \
                and all(_is_id(item) for item in value):
            return True
    return False


class CrmPoolCountMixin(models.AbstractModel):
    _name = 'crm.pool.count.mixin'
    _description = 'Capped Counts of Pool Lists'

    @api.model_cr
    def init(self):
        super(CrmPoolCountMixin, self).init()
        if self._abstract:
            return
        cr, table = self.env.cr, self._table
        # The pool lists' order (pool_deadline, id desc) straight from one
        # index: the first page no longer sorts every unowned record (their
        # deadline is empty) of a salesperson's pools. Leading on the
        # deadline, it also serves the policies' "due by now" scans.
        sql.create_index(cr, '%s_pool_deadline_id_index' % table,
                         table, ['pool_deadline', 'id DESC'])
        # The two parts of a salesperson's page in that order: the
        # unowned pool records, and each owner's pool records.
        for name, definition in PAGE_INDEXES:
            cr.execute(pgsql.SQL('CREATE INDEX IF NOT EXISTS {} ON {} {}').format(
                pgsql.Identifier('%s_%s_index' % (table, name)),
                pgsql.Identifier(table), pgsql.SQL(definition)))
        # PostgreSQL learns which pool states go with an owner (an owned
        # record is never unowned): without it, it expects the unowned part
        # of the "owned" column to be large and scans the table to count
        # nothing.
        if cr._cnx.server_version >= 120000:
            cr.execute(pgsql.SQL(
                'CREATE STATISTICS IF NOT EXISTS {} (mcv) '
                'ON pool_state, user_id FROM {}').format(
                    pgsql.Identifier('%s_pool_state_owner_stats' % table),
                    pgsql.Identifier(table)))

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        """With ``count`` and the context key ``pool_count_limit`` (N), count
        at most N + 1 records: the same query as Odoo's count (access
        rights, record rules, the domain as the other concerns rewrote it),
        stopped by a LIMIT. A salesperson's capped count, and page in the
        pool lists' order, are read in two parts (:meth:`_pool_split`)."""
        cap = self._pool_count_cap() if count else None
        capped = bool(cap)
        split = (capped or (not count and limit)) and self._pool_split(
            args, order=None if capped else order)
        if not capped and not split:
            return super(CrmPoolCountMixin, self)._search(
                args, offset=offset, limit=limit, order=order, count=count,
                access_rights_uid=access_rights_uid)
        self.sudo(access_rights_uid or self._uid).check_access_rights('read')
        if expression.is_false(self, args):
            return 0 if count else []
        query = self._where_calc(args)
        self._apply_ir_rules(query, 'read')
        from_clause, where_clause, params = query.get_sql()
        where = where_clause and ' WHERE %s' % where_clause or ' WHERE TRUE'
        if capped and split:
            return min(self._pool_count_split(from_clause, where, params,
                                              cap), cap + 1)
        if capped:
            self.env.cr.execute(
                'SELECT count(1) FROM (SELECT 1 FROM %s%s LIMIT %%s) capped'
                % (from_clause, where), params + [cap + 1])
            return self.env.cr.fetchone()[0]
        return self._pool_read_split_page(from_clause, where, params,
                                          offset or 0, limit)

    @api.model
    def _read_group_raw(self, domain, fields, groupby, offset=0, limit=None,
                        orderby=False, lazy=True):
        """With the context key ``pool_count_limit`` (N), the groups of one
        selection field (the pool kanban's columns by pool state, a list
        grouped by pool state or qualification) count at most N + 1 records
        each: one capped count per value of the selection instead of one
        exact count of every record. Groupings that need other aggregates,
        several levels or other fields count exactly."""
        cap = self._pool_count_cap()
        groupbys = [groupby] if isinstance(groupby, str) else list(groupby or [])
        name = groupbys[0] if len(groupbys) == 1 else None
        field = self._fields.get(name) if name else None
        if not cap or not lazy or field is None or field.type != 'selection' \
                or not field.store or field.group_expand \
                or self.env.context.get('group_by_no_leaf') \
                or self._pool_group_aggregates(fields, name):
            return super(CrmPoolCountMixin, self)._read_group_raw(
                domain, fields, groupby, offset=offset, limit=limit,
                orderby=orderby, lazy=lazy)
        self.check_access_rights('read')
        values = list(field.get_values(self.env))
        # the groups in the order of their values, as PostgreSQL sorts them
        # (the empty value last, first when descending)
        terms = [term for term in _normalized_order(orderby)
                 if term.split(' ')[0] == name]
        descending = bool(terms) and terms[0].endswith(' desc')
        values = sorted(values, reverse=descending)
        values = [False] + values if descending else values + [False]
        counted = self.with_context(pool_count_limit=cap)
        groups = []
        for value in values:
            group_domain = expression.AND([[(name, '=', value)], domain or []])
            count = counted.search_count(group_domain)
            if count:
                groups.append({name: value, '%s_count' % name: count,
                               '__domain': group_domain})
        end = offset + limit if limit else None
        return groups[offset or 0:end]

    @api.model
    def _pool_count_cap(self):
        """The count limit asked for by the context, or None."""
        cap = self.env.context.get('pool_count_limit')
        if isinstance(cap, int) and not isinstance(cap, bool) and cap > 0:
            return cap
        return None

    @api.model
    def _pool_group_aggregates(self, fields, groupby):
        """Whether a read_group of ``fields`` sums or averages a column (the
        capped groups count records only)."""
        for fname in fields or [f for f in self._fields if f != groupby]:
            field = self._fields.get(fname.split(':')[0])
            if fname != groupby and fname != 'sequence' and field \
                    and field.group_operator and field.base_field.store \
                    and field.base_field.column_type:
                return True
        return False

    @api.model
    def _pool_split_page(self, args, order):
        """Whether a page of ``args`` in ``order`` is read in two parts (see
        :meth:`_pool_split`): in the pool lists' order only."""
        return self._pool_split(args, order=order)

    @api.model
    def _pool_split(self, args, order=None):
        """Whether the records of ``args`` are the user's own ones and the
        unowned ones, read (and counted) as two parts from their own
        indexes: a domain of pool records only, not on the owner, and a user
        the pool visibility rule restricts and who manages no pool. That
        rule shows such a user a pool record only when they own it or it is
        unowned. A page (``order`` given) is split in the pool lists' order
        (``pool_deadline, id desc``) only: the ordered merge of the parts."""
        if order is not None and _normalized_order(order) not in POOL_LIST_ORDERS:
            return False
        leaves = _top_leaves(args)
        # a domain on the owner (My Leads) reads its one index as it is
        if any(leaf[0] == 'user_id' for leaf in leaves):
            return False
        if not _pool_records_only(leaves) or not self._pool_rule_active():
            return False
        visibility = self._pool_visibility(self._uid)
        return visibility is not None and not visibility[1]

    @api.model
    @tools.ormcache('self._name')
    def _pool_rule_active(self):
        """Whether the pool visibility rule (a global rule on
        ``pool_visible_uid``) is active on this model; editing rules
        clears the cache."""
        # sudo: looks whether a record rule exists, reads no user data.
        return bool(self.env['ir.rule'].sudo().search_count([
            ('model_id.model', '=', self._name),
            ('global', '=', True),
            ('domain_force', 'like', 'pool_visible_uid'),
        ]))

    @api.model
    def _pool_count_split(self, from_clause, where, params, cap):
        """The records of ``where`` owned by the user plus the unowned ones,
        each part counted up to ``cap`` + 1."""
        table = '"%s"' % self._table
        part = ('(SELECT count(1) FROM (SELECT 1 FROM {from_}{where}'
                ' AND {t}.user_id {owner} LIMIT %s) part)')
        self.env.cr.execute('SELECT %s + %s' % (
            part.format(t=table, from_=from_clause, where=where,
                        owner='= %s'),
            part.format(t=table, from_=from_clause, where=where,
                        owner='IS NULL')),
            params + [self._uid, cap + 1] + params + [cap + 1])
        return self.env.cr.fetchone()[0]

    @api.model
    def _pool_read_split_page(self, from_clause, where, params, offset,
                              limit):
        """Ids of the page: the rows of ``where`` owned by the user and the
        unowned ones, each part in the pool lists' order up to the page's
        end, merged in that order."""
        table = '"%s"' % self._table
        part = ('(SELECT {t}.id, {t}.pool_deadline FROM {from_}{where}'
                ' AND {t}.user_id {owner} ORDER BY {t}.pool_deadline,'
                ' {t}.id DESC LIMIT %s)')
        own = part.format(t=table, from_=from_clause, where=where,
                          owner='= %s')
        unowned = part.format(t=table, from_=from_clause, where=where,
                              owner='IS NULL')
        self.env.cr.execute(
            'SELECT page.id FROM (%s UNION ALL %s) page'
            ' ORDER BY page.pool_deadline, page.id DESC LIMIT %%s OFFSET %%s'
            % (own, unowned),
            params + [self._uid, offset + limit] + params
            + [offset + limit, limit, offset])
        seen = set()
        return [row[0] for row in self.env.cr.fetchall()
                if not (row[0] in seen or seen.add(row[0]))]


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
