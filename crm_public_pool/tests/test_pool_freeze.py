"""Freeze, approval, unfreeze and the stored deadline."""
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError

from .common import PoolCase


def in_days(days):
    return fields.Datetime.to_string(datetime.utcnow() + timedelta(days=days))


class TestPoolFreeze(PoolCase):

    def test_freeze_and_unfreeze(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        self.assertTrue(lead.pool_deadline)
        until = in_days(5)
        lead.sudo(self.sales1).action_pool_freeze(until, 'Customer on holiday')
        self.assertEqual(lead.pool_state, 'frozen')
        self.assertEqual(lead.pool_freeze_until, until)
        self.assertFalse(lead.pool_deadline)
        self.assertEqual(self.logs(lead, 'freeze').reason,
                         'Customer on holiday')
        lead.sudo(self.sales1).action_pool_unfreeze()
        self.assertEqual(lead.pool_state, 'owned')
        self.assertFalse(lead.pool_freeze_until)
        self.assertTrue(lead.pool_deadline)
        self.assertEqual(len(self.logs(lead, 'unfreeze')), 1)

    def test_freeze_refusals(self):
        lead = self.leads[0]
        self.assertUserError(
            UserError, "Only an owned record can be frozen; %s is not."
            % lead.name,
            lead.sudo(self.sales1).action_pool_freeze, in_days(3), 'x')
        lead.sudo(self.sales1).action_pool_claim()
        self.assertUserError(
            UserError, "Please give a reason for the freeze.",
            lead.sudo(self.sales1).action_pool_freeze, in_days(3), ' ')
        self.assertUserError(
            UserError, "A freeze must end in the future.",
            lead.sudo(self.sales1).action_pool_freeze, in_days(-1), 'x')
        self.assertUserError(
            UserError, "Only the owner or a manager of pool Test East may "
                       "freeze lead #%s." % lead.id,
            lead.sudo(self.sales2).action_pool_freeze, in_days(3), 'x')
        with self.assertRaises(UserError) as cm:
            lead.sudo(self.sales1).action_pool_freeze(in_days(25), 'x')
        self.assertTrue(cm.exception.name.startswith(
            "A freeze in pool Test East may last at most 20 days (until "))
        self.assertEqual(lead.pool_state, 'owned')
        self.assertUserError(
            UserError, "%s is not frozen." % lead.name,
            lead.sudo(self.sales1).action_pool_unfreeze)

    def test_frozen_cap_per_user(self):
        self.leads[0:2].sudo(self.sales1).action_pool_claim()
        self.leads[0].sudo(self.sales1).action_pool_freeze(in_days(3), 'x')
        self.assertUserError(
            UserError, "Zhang Wei already has 1 of 1 frozen leads allowed in "
                       "pool Test East.",
            self.leads[1].sudo(self.sales1).action_pool_freeze,
            in_days(3), 'y')

    def test_freeze_needs_approval(self):
        lead = self.make_lead(self.pool2, 7)
        lead.sudo(self.sales1).action_pool_claim()
        lead.sudo(self.sales1).action_pool_freeze(in_days(3), 'Tender')
        self.assertEqual(lead.pool_state, 'owned')
        self.assertTrue(lead.pool_freeze_pending)
        self.assertEqual(len(self.logs(lead, 'freeze_request')), 1)
        activity = lead.activity_ids.filtered(
            lambda a: a.user_id == self.manager)
        self.assertEqual(len(activity), 1)
        self.assertUserError(
            UserError, "Only the managers of pool Test South may approve a "
                       "freeze.",
            lead.sudo(self.sales1).action_pool_freeze_approve)
        lead.sudo(self.manager).action_pool_freeze_approve()
        self.assertEqual(lead.pool_state, 'frozen')
        self.assertFalse(lead.pool_freeze_pending)

    def test_lapsed_freeze_request_cannot_be_approved(self):
        lead = self.make_lead(self.pool2, 8)
        lead.sudo(self.sales1).action_pool_claim()
        lead.sudo(self.sales1).action_pool_freeze(in_days(3), 'Tender')
        lead.write({'pool_freeze_until': '2024-03-01 12:00:00'})
        with self.assertRaises(UserError) as error:
            lead.sudo(self.manager).action_pool_freeze_approve()
        self.assertIn("ended on 2024-03-01", error.exception.name)
        self.assertIn("it can no longer be approved.", error.exception.name)
        self.assertEqual(lead.pool_state, 'owned')
        self.assertTrue(lead.pool_freeze_pending)

    def test_deadline_follows_policy(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        claimed = fields.Datetime.from_string(lead.pool_date_claimed)
        self.assertEqual(fields.Datetime.from_string(lead.pool_deadline),
                         claimed + timedelta(days=10))
        self.pool.idle_days = 0
        self.assertEqual(fields.Datetime.from_string(lead.pool_deadline),
                         claimed + timedelta(days=30))
        self.pool.nodeal_days = 0
        self.assertFalse(lead.pool_deadline)

    def test_won_lead_has_no_deadline(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        self.assertTrue(lead.pool_deadline)
        lead.sudo(self.sales1).action_set_won()
        self.assertFalse(lead.pool_deadline)

    def test_policy_edit_recomputes_every_record(self):
        owned, followed, frozen, unowned = self.leads[0:4]
        (owned | followed | frozen).sudo(self.sales3).action_pool_claim()
        self.env.cr.execute(
            "UPDATE crm_lead SET pool_date_claimed = '2030-01-01 10:00:00', "
            "pool_date_followup = '2030-01-05 08:00:00' WHERE id = %s",
            (followed.id,))
        self.env.cr.execute(
            "UPDATE crm_lead SET pool_date_claimed = '2030-01-01 10:00:00' "
            "WHERE id = %s", (owned.id,))
        frozen.sudo(self.sales3).action_pool_freeze(in_days(3), 'x')
        self.pool.write({'idle_days': 3, 'nodeal_days': 40})
        self.assertEqual(owned.pool_deadline, '2030-01-04 10:00:00')
        self.assertEqual(followed.pool_deadline, '2030-01-08 08:00:00')
        self.assertFalse(frozen.pool_deadline)
        self.assertFalse(unowned.pool_deadline)
        self.pool.write({'idle_days': 0})
        self.assertEqual(owned.pool_deadline, '2030-02-10 10:00:00')
        # the ORM and the SQL agree
        followed.invalidate_cache()
        self.env.add_todo(self.env['crm.lead']._fields['pool_deadline'],
                          followed)
        self.env['crm.lead'].recompute()
        self.assertEqual(followed.pool_deadline, '2030-02-10 10:00:00')
