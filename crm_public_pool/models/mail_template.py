"""Templates rendered on masked pool records (the email composer, an RPC
call of ``render_template``): contact data masked for salespeople who may
not see it, like the record's fields."""
from odoo import api, models

from ..policy import contact as contact_policy


class MailTemplate(models.Model):
    _inherit = 'mail.template'

    @api.model
    def render_template(self, template_txt, model, res_ids,
                        post_process=False):
        result = super(MailTemplate, self).render_template(
            template_txt, model, res_ids, post_process=post_process)
        if not model or model not in self.env['crm.pool.mixin'] \
                ._inherit_children:
            return result
        ids = [res_ids] if isinstance(res_ids, int) else list(res_ids or [])
        masked = set(self.env[model].browse(
            [rid for rid in ids if rid])._pool_masked_ids())
        if not masked:
            return result
        if isinstance(result, dict):
            return {rid: contact_policy.mask_text(text) if rid in masked
                    else text for rid, text in result.items()}
        return contact_policy.mask_text(result)
