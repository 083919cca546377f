"""Activities planned for somebody read in that person's language.

A cron or another user plans them, so ``_()`` would use the planner's
language. Per record, :func:`text_for` calls the method that writes the
text in the assignee's language; for a set-based ``INSERT``,
:func:`texts` gives the text in every installed language (a JSON object
the SQL picks from with :data:`PICK_SQL`).
"""
import json

# SQL expression: the text in the language of user {user} (an SQL
# expression), from %(texts)s (JSON: {language code: text}), else
# %(text)s (the planner's language)
PICK_SQL = """COALESCE(%(texts)s::jsonb ->> (
    SELECT lp.lang FROM res_users lu JOIN res_partner lp
        ON lp.id = lu.partner_id WHERE lu.id = {user}), %(text)s)"""


def text_for(records, user, method, *args):
    """``records.<method>(*args)`` in the language of ``user``."""
    return getattr(records.with_context(lang=user.lang or None), method)(
        *args)


def texts(records, method, *args):
    """``{'texts': JSON, 'text': default}``: ``records.<method>(*args)``
    in every installed language and in the current one (parameters of
    :data:`PICK_SQL`)."""
    langs = records.env['res.lang'].get_installed()
    return {
        'texts': json.dumps({
            code: getattr(records.with_context(lang=code), method)(*args)
            for code, _name in langs}),
        'text': getattr(records, method)(*args),
    }
