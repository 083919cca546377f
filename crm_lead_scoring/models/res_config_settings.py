# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import secrets

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..lib import scoring
from .crm_lead import GRADE_PARAMS, PRIORITY_SYNC_PARAM
from .crm_lead_score_event import DEFAULT_RATE_LIMIT, RATE_LIMIT_PARAM, TOKEN_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    crm_score_grade_a_min = fields.Float(
        string='Grade A from',
        digits=(16, 2),
        default=scoring.DEFAULT_THRESHOLDS['A'],
    )
    crm_score_grade_b_min = fields.Float(
        string='Grade B from',
        digits=(16, 2),
        default=scoring.DEFAULT_THRESHOLDS['B'],
    )
    crm_score_grade_c_min = fields.Float(
        string='Grade C from',
        digits=(16, 2),
        default=scoring.DEFAULT_THRESHOLDS['C'],
    )
    crm_score_priority_sync = fields.Boolean(
        string='Set Priority from Grade',
        help="Grade A gives 3 stars, B 2, C 1 and D none.",
    )
    crm_score_event_token = fields.Char(
        string='Score Event Token',
        readonly=True,
    )
    crm_score_rate_limit = fields.Integer(
        string='Event Requests per Minute',
        default=DEFAULT_RATE_LIMIT,
    )

    @api.model
    def get_values(self):
        res = super(ResConfigSettings, self).get_values()
        thresholds = self.env['crm.lead']._score_thresholds()
        # sudo: reads only this addon's parameters; the settings screen itself
        # is restricted to administrators by Odoo's access rights.
        params = self.env['ir.config_parameter'].sudo()
        try:
            rate_limit = int(params.get_param(RATE_LIMIT_PARAM, DEFAULT_RATE_LIMIT))
        except ValueError:
            rate_limit = DEFAULT_RATE_LIMIT
        res.update(
            crm_score_grade_a_min=thresholds['A'],
            crm_score_grade_b_min=thresholds['B'],
            crm_score_grade_c_min=thresholds['C'],
            crm_score_priority_sync=self.env['crm.lead']._score_priority_sync(),
            crm_score_event_token=params.get_param(TOKEN_PARAM, ''),
            crm_score_rate_limit=rate_limit,
        )
        return res

    @api.multi
    def set_values(self):
        super(ResConfigSettings, self).set_values()
        thresholds = {
            'A': self.crm_score_grade_a_min,
            'B': self.crm_score_grade_b_min,
            'C': self.crm_score_grade_c_min,
        }
        if not scoring.check_thresholds(thresholds):
            raise ValidationError(_(
                "The grade thresholds must decrease: A (%(a)s) above B (%(b)s) "
                "above C (%(c)s).") % {
                    'a': thresholds['A'], 'b': thresholds['B'], 'c': thresholds['C']})
        if self.crm_score_rate_limit < 1:
            raise ValidationError(_("The event requests per minute must be at "
                                    "least 1."))
        # sudo: writes only this addon's validated settings (see get_values).
        params = self.env['ir.config_parameter'].sudo()
        old = self.env['crm.lead']._score_thresholds()
        old_sync = self.env['crm.lead']._score_priority_sync()
        for grade, key in GRADE_PARAMS.items():
            params.set_param(key, repr(thresholds[grade]))
        params.set_param(PRIORITY_SYNC_PARAM, repr(bool(self.crm_score_priority_sync)))
        params.set_param(RATE_LIMIT_PARAM, str(self.crm_score_rate_limit))
        if old != thresholds or old_sync != bool(self.crm_score_priority_sync):
            # Grades follow the new thresholds at the next (soon) recompute.
            self.env['crm.lead.score.rule']._rules_changed()

    @api.multi
    def action_crm_score_regenerate_token(self):
        """Replace the event endpoint's token; the old one stops working."""
        if not self.env.user.has_group('base.group_system'):
            raise AccessError(_("Only administrators may regenerate the score "
                                "event token."))
        # sudo: checked just above that the user is an administrator.
        self.env['ir.config_parameter'].sudo().set_param(
            TOKEN_PARAM, secrets.token_urlsafe(32))
        return {'type': 'ir.actions.client', 'tag': 'reload'}
