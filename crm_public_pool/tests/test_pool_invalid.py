"""Invalid records (无效) and the cleanup (淘汰): out of claim, assignment and
distribution; archived after N days with history; restore round-trip."""
from odoo.exceptions import UserError

from .common import PoolCase

NOW = '2024-03-01 12:00:00'


class TestPoolInvalid(PoolCase):

    def setUp(self):
        super(TestPoolInvalid, self).setUp()
        self.lead = self.leads[0]
        self.lead.sudo(self.sales1).action_pool_claim()

    def test_owner_marks_invalid_then_nobody_takes_it(self):
        self.lead.sudo(self.sales1).action_pool_mark_invalid('Wrong number')
        self.assertEqual(self.lead.pool_state, 'invalid')
        self.assertFalse(self.lead.user_id)
        self.assertEqual(self.lead.pool_invalid_reason, 'Wrong number')
        log = self.logs(self.lead, 'invalid')
        self.assertEqual((log.from_user_id, log.reason),
                         (self.sales1, 'Wrong number'))
        message = "%s is invalid: a pool manager restores it before anyone " \
                  "may take it." % self.lead.name
        self.assertUserError(UserError, message,
                             self.lead.sudo(self.sales2).action_pool_claim)
        self.assertUserError(UserError, message,
                             self.lead.sudo(self.manager).action_pool_assign,
                             self.sales2.id)
        self.assertFalse(self.lead.user_id)

    def test_invalid_is_never_distributed(self):
        self.lead.sudo(self.sales1).action_pool_mark_invalid('Closed down')
        self.pool.distribution = 'round_robin'
        self.pool.with_context(crm_no_commit=True)._cron_distribute()
        self.assertFalse(self.lead.user_id)
        self.assertEqual(self.lead.pool_state, 'invalid')

    def test_refusals(self):
        self.assertUserError(UserError,
                             "Please say why the records are invalid.",
                             self.lead.sudo(self.sales1).action_pool_mark_invalid,
                             ' ')
        self.assertUserError(
            UserError, "Only the owner or a manager of pool Test East may mark "
                       "lead #%s invalid." % self.lead.id,
            self.lead.sudo(self.sales2).action_pool_mark_invalid, 'spam')
        self.lead.sudo(self.sales1).action_pool_mark_invalid('spam')
        self.assertUserError(
            UserError, "Only the managers of pool Test East may restore "
                       "%s." % self.lead.name,
            self.lead.sudo(self.sales1).action_pool_restore)
        with self.assertRaises(UserError):
            self.lead.sudo(self.sales1).write(
                {'pool_invalid_reason': 'forged'})
        self.assertEqual(self.lead.pool_invalid_reason, 'spam')

    def test_manager_restores(self):
        self.lead.sudo(self.sales1).action_pool_mark_invalid('Duplicate')
        self.lead.sudo(self.manager).action_pool_restore()
        self.assertEqual(self.lead.pool_state, 'pool')
        self.assertFalse(self.lead.pool_invalid_reason)
        self.assertEqual(len(self.logs(self.lead, 'restore')), 1)
        self.lead.sudo(self.sales2).action_pool_claim()
        self.assertEqual(self.lead.user_id, self.sales2)


class TestPoolCleanup(PoolCase):

    def setUp(self):
        super(TestPoolCleanup, self).setUp()
        self.pool.cleanup_days = 30
        self.invalid, self.fresh, self.old, self.claimed = self.leads[:4]
        self.claimed.sudo(self.sales1).action_pool_claim()
        self.claimed.sudo(self.sales1).action_pool_release('Not interested')
        self.invalid.sudo(self.manager).action_pool_mark_invalid('Fake')
        cr = self.env.cr
        # invalid since exactly 30 days before NOW; created 30 days - 1 s ago
        cr.execute("UPDATE crm_lead SET pool_date_invalid = '2024-01-31 "
                   "12:00:00' WHERE id = %s", (self.invalid.id,))
        cr.execute("UPDATE crm_lead SET create_date = '2024-01-31 12:00:01' "
                   "WHERE id = %s", (self.fresh.id,))
        cr.execute("UPDATE crm_lead SET create_date = '2024-01-01 00:00:00' "
                   "WHERE id IN %s", ((self.old.id, self.claimed.id),))
        # claimed 29 days before NOW: not "never claimed for 30 days"
        cr.execute("UPDATE crm_pool_log SET date = '2024-02-01 12:00:00' "
                   "WHERE res_model = 'crm.lead' AND res_id = %s",
                   (self.claimed.id,))
        self.env.cache.invalidate()

    def test_cleanup_boundaries_history_and_rerun(self):
        archived = self.env['crm.pool']._cron_cleanup(now=NOW)
        self.assertEqual(archived, 2)
        self.assertFalse(self.invalid.active)
        self.assertFalse(self.old.active)
        self.assertTrue(self.fresh.active)
        self.assertTrue(self.claimed.active)
        log = self.logs(self.invalid, 'cleanup')
        self.assertEqual(len(log), 1)
        self.assertEqual(log.date, NOW)
        self.assertEqual(log.reason, 'Invalid: archived by the cleanup')
        self.assertEqual(self.logs(self.old, 'cleanup').reason,
                         'Never claimed: archived by the cleanup')
        self.assertEqual(self.env['crm.pool']._cron_cleanup(now=NOW), 0)

    def test_cleanup_off_at_zero(self):
        self.pool.cleanup_days = 0
        self.assertEqual(self.env['crm.pool']._cron_cleanup(now=NOW), 0)
        self.assertTrue(self.invalid.active)

    def test_restore_round_trip(self):
        self.env['crm.pool']._cron_cleanup(now=NOW)
        for lead in (self.invalid, self.old):
            lead.sudo(self.manager).action_pool_restore()
            self.assertTrue(lead.active)
            self.assertEqual(lead.pool_state, 'pool')
            self.assertEqual(len(self.logs(lead, 'cleanup')), 1)
            self.assertEqual(len(self.logs(lead, 'restore')), 1)
        self.old.sudo(self.sales1).action_pool_claim()
        self.assertEqual(self.old.user_id, self.sales1)
