# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""SLA bookkeeping of a record handled under a ``crm.service.sla`` policy.

The deadlines, the warning date, the pause and the SLA state, counted in
working hours by the plain-Python ``lib/sla.py``. A model that inherits this
mixin provides the fields the policy is matched on (``team_id`` with its
``warn_share``, ``priority``, ``kind``, ``category_id``, ``company_id``) and
``closed_date``; it calls ``_apply_sla`` when those change and
``_sla_stage_values`` when its stage changes. The escalation job that warns
and escalates is the ticket's own (``service_ticket_sla_escalation.py``).
"""
import logging

from odoo import _, api, fields, models

from ..lib import sla as sla_lib

_logger = logging.getLogger(__name__)

SLA_STATES = [
    ('ok', 'On time'),
    ('at_risk', 'At risk'),
    ('breached', 'Breached'),
    ('paused', 'Paused'),
    ('done', 'Done'),
]


class CrmServiceSlaMixin(models.AbstractModel):
    _name = 'crm.service.sla.mixin'
    _description = 'Service Level'

    sla_policy_id = fields.Many2one(
        comodel_name='crm.service.sla',
        string='SLA Policy',
        readonly=True,
        copy=False,
    )
    sla_start = fields.Datetime(
        string='SLA Start',
        default=lambda self: self._now(),
        copy=False,
        readonly=True,
    )
    deadline_first_response = fields.Datetime(
        readonly=True,
        copy=False,
    )
    deadline_resolution = fields.Datetime(
        readonly=True,
        copy=False,
        index=True,
    )
    first_response_date = fields.Datetime(
        readonly=True,
        copy=False,
    )
    sla_state = fields.Selection(
        selection=SLA_STATES,
        string='SLA Status',
        default='ok',
        readonly=True,
        copy=False,
        index=True,
    )
    sla_warn_date = fields.Datetime(
        string='SLA Warning Date',
        readonly=True,
        copy=False,
    )
    sla_paused_since = fields.Datetime(
        readonly=True,
        copy=False,
    )
    sla_warned = fields.Boolean(
        string='SLA Warning Sent',
        readonly=True,
        copy=False,
    )
    sla_escalated = fields.Boolean(
        string='SLA Breach Escalated',
        readonly=True,
        copy=False,
    )
    hours_to_first_response = fields.Float(
        string='Working Hours to First Response',
        readonly=True,
        copy=False,
        group_operator='avg',
    )
    hours_to_resolution = fields.Float(
        string='Working Hours to Resolution',
        readonly=True,
        copy=False,
        group_operator='avg',
    )

    @api.model
    def _now(self):
        """Current UTC time as string; ``ticket_now`` in the context fixes it
        (tests and data imports)."""
        return self.env.context.get('ticket_now') or fields.Datetime.now()

    @api.multi
    def _sla_write(self, values):
        """Write SLA bookkeeping values: none is tracked, so the chatter
        machinery is skipped, and the model's own write logic is not rerun
        (the inheriting model may narrow this further)."""
        return super(CrmServiceSlaMixin, self.with_context(
            tracking_disable=True)).write(values)

    @api.multi
    def _apply_sla(self, now=None):
        """Match the SLA policy and compute deadlines from ``sla_start``."""
        cache = {}
        for record in self:
            policy = self.env['crm.service.sla']._match(
                record.team_id, record.priority, record.kind,
                record.category_id, record.company_id)
            values = {'sla_policy_id': policy.id}
            if policy:
                if policy.id not in cache:
                    cache[policy.id] = policy._schedule()
                values.update(record._sla_deadline_values(
                    policy, cache[policy.id]))
            else:
                values.update(deadline_first_response=False,
                              deadline_resolution=False, sla_warn_date=False)
            parse = fields.Datetime.from_string
            values['sla_state'] = sla_lib.sla_state(
                now or parse(self._now()),
                parse(values['deadline_first_response']),
                bool(record.first_response_date),
                parse(values['deadline_resolution']),
                warn_at=parse(values['sla_warn_date']),
                paused=bool(record.sla_paused_since),
                closed=bool(record.closed_date))
            record._sla_write(values)

    @api.multi
    def _sla_deadline_values(self, policy, schedule):
        """Deadlines and warning date of ``policy`` from ``sla_start`` (one
        record); none when its working time has no working hours."""
        self.ensure_one()
        start = fields.Datetime.from_string(self.sla_start)
        try:
            first = sla_lib.add_working_hours(
                start, policy.hours_first_response, schedule)
            resolution = sla_lib.add_working_hours(
                start, policy.hours_resolution, schedule)
            warn = self._warn_date_for(
                policy, schedule, start, bool(self.first_response_date))
        except ValueError:
            # A working time without working hours (all removed, all dated,
            # all on leave): no deadline rather than no ticket; the agents
            # are told why.
            first = resolution = warn = False
            if self.sla_policy_id != policy or self.deadline_resolution:
                self._post_no_working_time(policy)
        return {
            'deadline_first_response': fields.Datetime.to_string(first),
            'deadline_resolution': fields.Datetime.to_string(resolution),
            'sla_warn_date': warn,
        }

    @api.multi
    def _post_no_working_time(self, policy):
        self.ensure_one()
        _logger.warning("SLA policy %s (id %s): its working time has no "
                        "working hours; ticket %s gets no deadline.",
                        policy.name, policy.id, self.id)
        self.message_post(
            body=_("SLA %s: its working time has no working hours, so this "
                   "ticket has no deadline. Please fix the SLA's working "
                   "time.") % policy.name,
            subtype='mail.mt_note')

    @api.multi
    def _warn_date_for(self, policy, schedule, start, first_done):
        share = (self.team_id.warn_share if self.team_id else 80) / 100.0
        if not share:
            return False
        hours = policy.hours_resolution if first_done \
            else policy.hours_first_response
        return fields.Datetime.to_string(
            sla_lib.warn_date(start, hours, share, schedule))

    @api.multi
    def _refresh_sla_state(self, now=None):
        now = now or fields.Datetime.from_string(self._now())
        parse = fields.Datetime.from_string
        for record in self:
            state = sla_lib.sla_state(
                now, parse(record.deadline_first_response),
                bool(record.first_response_date),
                parse(record.deadline_resolution),
                warn_at=parse(record.sla_warn_date),
                paused=bool(record.sla_paused_since),
                closed=bool(record.closed_date))
            if state != record.sla_state:
                record._sla_write({'sla_state': state})

    @api.multi
    def _sla_stage_values(self, stage, now_str):
        """SLA values written with a move to ``stage`` at ``now_str`` (one
        record, before its ``closed_date`` changes): the working hours to
        resolution on closing, fresh steps on reopening, the pause."""
        self.ensure_one()
        values = {}
        was_closed = bool(self.closed_date)
        now = fields.Datetime.from_string(now_str)
        if stage.is_closed:
            if not was_closed:
                if self.sla_policy_id:
                    start = fields.Datetime.from_string(self.sla_start)
                    values['hours_to_resolution'] = \
                        sla_lib.working_hours_between(
                            start, now, self.sla_policy_id._schedule())
                values['sla_paused_since'] = False
            return values
        if was_closed:
            values.update(sla_escalated=False, sla_warned=False)
        if stage.sla_pause and not self.sla_paused_since:
            values['sla_paused_since'] = now_str
        elif not stage.sla_pause and self.sla_paused_since:
            values.update(self._resume_values(now))
        return values

    @api.multi
    def _resume_values(self, now):
        """Deadlines pushed back by the working hours spent paused."""
        self.ensure_one()
        values = {'sla_paused_since': False}
        if not self.sla_policy_id:
            return values
        schedule = self.sla_policy_id._schedule()
        paused_from = fields.Datetime.from_string(self.sla_paused_since)
        for name in ('deadline_first_response', 'deadline_resolution',
                     'sla_warn_date'):
            value = fields.Datetime.from_string(self[name])
            if value:
                values[name] = fields.Datetime.to_string(
                    sla_lib.shift_after_pause(value, paused_from, now, schedule))
        return values

    @api.multi
    def _set_first_response(self, date):
        self.ensure_one()
        values = {'first_response_date': date}
        if self.sla_policy_id:
            schedule = self.sla_policy_id._schedule()
            start = fields.Datetime.from_string(self.sla_start)
            values['hours_to_first_response'] = sla_lib.working_hours_between(
                start, fields.Datetime.from_string(date), schedule)
            resolution = fields.Datetime.from_string(self.deadline_resolution)
            if resolution and resolution > fields.Datetime.from_string(date):
                # The first-response target is settled; the resolution target
                # gets its own warning and its own escalation (any earlier
                # one was about the first response).
                try:
                    warn = self._warn_date_for(
                        self.sla_policy_id, schedule, start, True)
                except ValueError:
                    # The working time lost its working hours since the
                    # deadlines were set: no new warning, the answer counts.
                    warn = False
                values.update(sla_warned=False, sla_escalated=False,
                              sla_warn_date=warn)
        self._sla_write(values)
        self._refresh_sla_state()
