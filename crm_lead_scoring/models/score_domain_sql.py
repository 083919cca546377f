# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""SQL of a fit rule's domain, correlated with the lead it is tested on.

Odoo 11 compiles a path through a relation (``partner_id.is_company``,
``country_id.code``, ``tag_ids.name``) by searching the related model first
and inlining every id found: ``partner_id IN (<all company ids>)``. With a
million customers that search and the query built from it cost seconds,
whatever the number of leads scored. Here such a path becomes an
``EXISTS`` on the related row of the lead at hand (an index look-up per
lead), so testing a rule on a few leads costs the same at any table size.
Every other leaf is compiled by Odoo itself, with the same meaning as in a
search (archived related records included, as Odoo's own path search
does).
"""
from odoo.osv import expression


def domain_sql(model, domain, outer=()):
    """``(sql, params)`` of ``domain`` on ``model``'s table, referring to it
    by its table name, without the ``active`` filter.

    :param outer: tables of the enclosing queries (a path back into one of
        them is left to Odoo: an inner table of the same name would hide the
        outer one)
    """
    domain = expression.distribute_not(expression.normalize_domain(domain))
    tables = tuple(outer) + (model._table,)
    stack = []
    for item in reversed(domain):
        if item == expression.NOT_OPERATOR:
            sql, params = stack.pop()
            stack.append(('(NOT %s)' % sql, params))
        elif item in (expression.AND_OPERATOR, expression.OR_OPERATOR):
            (left, left_params), (right, right_params) = stack.pop(), stack.pop()
            glue = ' AND ' if item == expression.AND_OPERATOR else ' OR '
            stack.append(('(%s%s%s)' % (left, glue, right),
                          left_params + right_params))
        else:
            stack.append(_leaf_sql(model, tuple(item), tables))
    return stack.pop() if stack else ('TRUE', [])


def _leaf_sql(model, leaf, tables):
    if leaf == expression.TRUE_LEAF:
        return 'TRUE', []
    if leaf == expression.FALSE_LEAF:
        return 'FALSE', []
    left, operator, right = leaf
    path = left.split('.', 1) if isinstance(left, str) else [left]
    field = model._fields.get(path[0])
    if len(path) > 1 and field is not None and field.store \
            and not field.auto_join:
        joined = _path_sql(model, field, (path[1], operator, right), tables)
        if joined:
            return joined
    return _odoo_leaf_sql(model, leaf)


def _path_sql(model, field, sub_leaf, tables):
    """EXISTS of a related row matching ``sub_leaf``, or None when Odoo's
    own compilation must be kept."""
    comodel = model.env[field.comodel_name]
    if comodel._table in tables or not comodel._auto:
        return None
    table = model._table
    sub_sql, sub_params = domain_sql(comodel, [sub_leaf], tables)
    if field.type == 'many2one':
        return ('EXISTS (SELECT 1 FROM "{co}" WHERE "{co}".id = "{t}"."{col}" '
                'AND {cond})'.format(co=comodel._table, t=table, col=field.name,
                                     cond=sub_sql), sub_params)
    if field.type == 'one2many' and not field.domain:
        inverse = comodel._fields.get(field.inverse_name)
        if inverse is None or not inverse.store or inverse.type != 'many2one':
            return None
        return ('EXISTS (SELECT 1 FROM "{co}" WHERE "{co}"."{inv}" = "{t}".id '
                'AND {cond})'.format(co=comodel._table, inv=field.inverse_name,
                                     t=table, cond=sub_sql), sub_params)
    if field.type == 'many2many':
        if field.relation in tables:
            return None
        return ('EXISTS (SELECT 1 FROM "{rel}" JOIN "{co}" ON "{co}".id = '
                '"{rel}"."{c2}" WHERE "{rel}"."{c1}" = "{t}".id AND {cond})'.format(
                    rel=field.relation, co=comodel._table, c1=field.column1,
                    c2=field.column2, t=table, cond=sub_sql), sub_params)
    return None


def _odoo_leaf_sql(model, leaf):
    query = model._where_calc([leaf], active_test=False)
    from_clause, where_clause, params = query.get_sql()
    where_clause = where_clause or 'TRUE'
    if from_clause == '"%s"' % model._table:
        return '(%s)' % where_clause, list(params)
    # a leaf that needs a join of its own (auto_join): its own sub-select
    return ('"{t}".id IN (SELECT "{t}".id FROM {frm} WHERE {cond})'.format(
        t=model._table, frm=from_clause, cond=where_clause), list(params))
