# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""SLA escalation job of the tickets: warn the assignee at the team's share
of the SLA time, escalate breaches to the team leader (``_cron_escalate``).

Set-based SQL over the ticket table; the deadlines it reads are kept by
``service_sla_mixin.py``.
"""
import logging

from psycopg2.extensions import TransactionRollbackError

from odoo import _, api, fields, models

from .service_ticket import CRON_BATCH
from . import activity_lang, batch_commit
from . import mail_summary

_logger = logging.getLogger(__name__)


class CrmServiceTicketSlaEscalation(models.Model):
    # One concern of the ticket per file, on purpose (see service_ticket.py).
    # pylint: disable=consider-merging-classes-inherited
    _inherit = 'crm.service.ticket'

    @api.model
    def _cron_escalate(self, now=None, batch_size=CRON_BATCH):
        """Warn assignees at the team's share of SLA time, escalate breaches.

        Set-based: each batch is claimed with ``FOR UPDATE SKIP LOCKED`` and
        its step flag set in the same UPDATE, so a step fires once even with
        two servers; a commit per batch makes the job resumable.
        """
        now = now or fields.Datetime.now()
        cr = self.env.cr
        model_id = self.env['ir.model']._get(self._name).id
        warn_type = self.env.ref('crm_service_ticket.mail_activity_type_sla_warning')
        breach_type = self.env.ref('crm_service_ticket.mail_activity_type_sla_breach')
        totals = {'warned': 0, 'escalated': 0}
        retries = 0
        commit = batch_commit.start(self.env)
        while True:
            batch_commit.begin(self.env, commit)
            try:
                warned, breached = self._escalate_batch(
                    now, batch_size, model_id, warn_type, breach_type)
            except TransactionRollbackError:
                if not commit or retries >= 5:
                    raise
                # Another server committed rows of this batch after our
                # snapshot began: nothing was written, retry on a fresh one.
                cr.rollback()
                retries += 1
                continue
            totals['warned'] += len(warned)
            totals['escalated'] += len(breached)
            self.invalidate_cache()
            # one transaction per batch keeps locks short and makes the job
            # resumable after a crash (flags are set)
            batch_commit.end(self.env, commit)
            if len(warned) < batch_size and len(breached) < batch_size:
                break
        _logger.info('SLA escalation: %(warned)s warned, %(escalated)s '
                     'escalated', totals)
        return totals

    @api.model
    def _escalate_batch(self, now, batch_size, model_id, warn_type, breach_type):
        """One batch of each step; returns (warned ids, breached rows)."""
        cr = self.env.cr
        cr.execute("""
            WITH due AS (
                SELECT t.id FROM crm_service_ticket t
                 WHERE t.closed_date IS NULL AND t.sla_paused_since IS NULL
                   AND NOT COALESCE(t.sla_warned, false)
                   AND t.sla_warn_date <= %(now)s
                 ORDER BY t.id LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED)
            UPDATE crm_service_ticket t
               SET sla_warned = true,
                   sla_state = CASE WHEN t.sla_state = 'ok'
                                    THEN 'at_risk' ELSE t.sla_state END
              FROM due WHERE t.id = due.id
         RETURNING t.id""", {'now': now, 'limit': batch_size})
        warned = [r[0] for r in cr.fetchall()]
        if warned:
            self._insert_activities(
                warned, model_id, warn_type, '_summary_sla_at_risk', now,
                leader=False)
        cr.execute("""
            WITH due AS (
                SELECT t.id FROM crm_service_ticket t
                 WHERE t.closed_date IS NULL AND t.sla_paused_since IS NULL
                   AND NOT COALESCE(t.sla_escalated, false)
                   AND (t.deadline_resolution <= %(now)s
                        OR (t.first_response_date IS NULL
                            AND t.deadline_first_response <= %(now)s))
                 ORDER BY t.id LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED)
            UPDATE crm_service_ticket t
               SET sla_escalated = true, sla_warned = true,
                   sla_state = 'breached',
                   priority = LEAST(COALESCE(t.priority, '0')::int + 1, 3)::text
              FROM due WHERE t.id = due.id
         RETURNING t.id, t.team_id""", {'now': now, 'limit': batch_size})
        breached = cr.fetchall()
        if breached:
            self._insert_activities(
                [r[0] for r in breached], model_id, breach_type,
                '_summary_sla_breached', now, leader=True)
            self._notify_leaders(breached)
        return warned, breached

    @api.model
    def _summary_sla_at_risk(self):
        return _("SLA at risk: answer soon")

    @api.model
    def _summary_sla_breached(self):
        return _("SLA breached: escalated to you")

    @api.model
    def _insert_activities(self, ticket_ids, model_id, activity_type,
                           summary_method, now, leader):
        """One activity per ticket, for its assignee or its team leader,
        with ``self.<summary_method>()`` in that person's language."""
        target = 'COALESCE(tm.leader_id, t.user_id)' if leader \
            else 'COALESCE(t.user_id, tm.leader_id)'
        # target is one of two constants above
        query = """
            INSERT INTO mail_activity
                (res_model_id, res_model, res_id, res_name, activity_type_id,
                 summary, date_deadline, user_id, create_uid, create_date,
                 write_uid, write_date)
            SELECT %(model)s, %(res_model)s, t.id,
                   '[' || t.number || '] ' || t.name, %(type)s, {summary},
                   %(today)s::date, {target}, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM crm_service_ticket t
              LEFT JOIN crm_service_team tm ON tm.id = t.team_id
             WHERE t.id IN %(ids)s AND {target} IS NOT NULL
        """.format(target=target,
                   summary=activity_lang.PICK_SQL.format(user=target))
        self.env.cr.execute(query, dict(
            activity_lang.texts(self, summary_method),
            model=model_id, res_model=self._name, type=activity_type.id,
            today=now[:10], uid=self.env.uid, now=now, ids=tuple(ticket_ids)))

    @api.model
    def _notify_leaders(self, rows):
        """One summary message per team to its leader for a batch of breaches
        (template ``mail_template_ticket_sla_breach``, in the leader's
        language)."""
        template = self.env.ref(
            'crm_service_ticket.mail_template_ticket_sla_breach')
        by_team = {}
        for ticket_id, team_id in rows:
            if team_id:
                by_team.setdefault(team_id, []).append(ticket_id)
        for team in self.env['crm.service.team'].browse(list(by_team)):
            if not team.leader_id:
                continue
            tickets = self.browse(by_team[team.id])
            mail_summary.post(template, team, team.leader_id.partner_id, {
                'ticket_summary_rows': [
                    {'number': ticket.number, 'name': ticket.name,
                     'priority': ticket.priority}
                    for ticket in tickets],
            }, subtype='mail.mt_comment', message_type='comment')
