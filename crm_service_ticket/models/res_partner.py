# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models

from ..lib import care
from . import activity_lang, batch_commit
from . import mail_summary

CRON_BATCH = 1000


class ResPartner(models.Model):
    _inherit = 'res.partner'

    birthday = fields.Date()
    birthday_reminder_year = fields.Integer(
        readonly=True,
        copy=False,
        prefetch=False,  # bookkeeping of the birthday cron (SQL)
        help="Last year a birthday reminder was planned (one per year).",
    )
    ticket_ids = fields.One2many(
        comodel_name='crm.service.ticket',
        inverse_name='partner_id',
        string='Service Tickets',
        groups='crm_service_ticket.group_ticket_agent',
    )
    ticket_count = fields.Integer(
        string='Tickets',
        compute='_compute_ticket_count',
        groups='crm_service_ticket.group_ticket_agent',
    )

    @api.multi
    def _compute_ticket_count(self):
        Ticket = self.env['crm.service.ticket']
        for partner in self:
            # A company counts its contacts' tickets too (customer 360).
            partner.ticket_count = Ticket.search_count(
                [('partner_id', 'child_of', partner.commercial_partner_id.id
                  if partner.is_company else partner.id)]) if partner.id else 0

    @api.multi
    def action_view_tickets(self):
        self.ensure_one()
        action = self.env.ref(
            'crm_service_ticket.crm_service_ticket_action').read()[0]
        action['domain'] = [('partner_id', 'child_of', self.id)]
        action['context'] = {'default_partner_id': self.id}
        return action

    @api.multi
    def action_send_birthday_care(self):
        """The email composer on this customer with the birthday care
        (生日关怀) template, in the customer's language."""
        self.ensure_one()
        return mail_summary.composer_action(self, self.env.ref(
            'crm_service_ticket.mail_template_partner_birthday'))

    @api.model
    def _summary_birthday(self, date):
        return _("Birthday on %s: send your wishes") % date

    @api.model
    def _cron_birthday_reminder(self, today=None, days_ahead=3,
                                batch_size=CRON_BATCH):
        """Plan an activity for the salesperson before a customer's birthday.

        Set-based and idempotent: the year is stored in the same UPDATE that
        claims the batch, so a partner is reminded once a year.
        """
        today = fields.Date.from_string(today or fields.Date.context_today(self))
        target = today + timedelta(days=days_ahead)
        month_days = care.birthday_month_days(target)
        activity_type = self.env.ref(
            'crm_service_ticket.mail_activity_type_birthday')
        model_id = self.env['ir.model']._get(self._name).id
        # the summary in every installed language, once for all batches
        summaries = activity_lang.texts(self, '_summary_birthday',
                                        fields.Date.to_string(target))
        cr = self.env.cr
        count = 0
        commit = batch_commit.start(self.env)
        while True:
            batch_commit.begin(self.env, commit)
            cr.execute("""
                WITH due AS (
                    SELECT p.id FROM res_partner p
                     WHERE p.active AND p.birthday IS NOT NULL
                       AND p.user_id IS NOT NULL
                       AND to_char(p.birthday, 'MM-DD') IN %(days)s
                       AND COALESCE(p.birthday_reminder_year, 0) < %(year)s
                     ORDER BY p.id LIMIT %(limit)s
                       FOR UPDATE SKIP LOCKED)
                UPDATE res_partner p SET birthday_reminder_year = %(year)s
                  FROM due WHERE p.id = due.id
             RETURNING p.id""", {'days': tuple(month_days), 'year': target.year,
                                 'limit': batch_size})
            ids = [r[0] for r in cr.fetchall()]
            if not ids:
                break
            cr.execute("""
                INSERT INTO mail_activity
                    (res_model_id, res_model, res_id, res_name,
                     activity_type_id, summary, date_deadline, user_id,
                     create_uid, create_date, write_uid, write_date)
                SELECT %(model)s, 'res.partner', p.id, p.name, %(type)s,
                       {summary}, %(date)s, p.user_id, %(uid)s,
                       now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                  FROM res_partner p WHERE p.id IN %(ids)s""".format(
                    summary=activity_lang.PICK_SQL.format(user='p.user_id')),
                dict(summaries, model=model_id, type=activity_type.id,
                     date=fields.Date.to_string(target), uid=self.env.uid,
                     ids=tuple(ids)))
            count += len(ids)
            self.invalidate_cache()
            # idempotent: the year is stored
            batch_commit.end(self.env, commit)
        return count
