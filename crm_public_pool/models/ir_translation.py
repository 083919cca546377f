"""Template expressions are code: never taken from a translation.

Odoo 11's own zh_CN catalogue translates the words of a Mako expression:
the subject of its notification email becomes ``${object.subject 或
(object.record_name and ...) 或 ...}``, which does not render, so every
message notified to a Chinese user (an @mention, a note to followers, a
pool summary) goes out with no subject, in the email and in the chatter.
Whenever module terms are loaded (a module installed or updated, a language
added), a translation of a template field that is one whole expression is
set back to the expression itself."""
from odoo import api, models

# one whole "${...}" expression, the value of a template's subject, sender,
# recipients...: nothing in it is text for a reader
WHOLE_EXPRESSION = r'^\s*\$\{[^{}]*\}\s*$'


class IrTranslation(models.Model):
    _inherit = 'ir.translation'

    @api.model_cr_context
    def load_module_terms(self, modules, langs):
        result = super(IrTranslation, self).load_module_terms(modules, langs)
        self._pool_untranslate_expressions()
        return result

    @api.model
    def _pool_untranslate_expressions(self):
        self.env.cr.execute("""
            UPDATE ir_translation SET value = src
             WHERE type = 'model' AND name LIKE 'mail.template,%%'
               AND src ~ %s AND value != '' AND value != src
         RETURNING id
        """, (WHOLE_EXPRESSION,))
        if self.env.cr.fetchall():
            self.clear_caches()
