"""The ownership history outlives what it names: deleting a salesperson or
a release reason leaves every history row that names them, with their ids,
readable as before (the names that no longer exist read as empty)."""
from .common import PoolCase


class TestPoolHistory(PoolCase):

    def test_history_keeps_a_deleted_salesperson_and_reason(self):
        Users = self.env['res.users'].with_context(no_reset_password=True)
        temp = Users.create({
            'name': 'Temp Seller', 'login': 't_pool_temp_seller',
            'groups_id': [(6, 0, self.sales1.groups_id.ids)],
        })
        self.pool.member_ids = [(0, 0, {'user_id': temp.id})]
        reason = self.env['crm.pool.release.reason'].create(
            {'name': 'Wrong region'})
        lead = self.make_lead(self.pool, 90)
        lead.sudo(temp).action_pool_claim()
        lead.sudo(temp).action_pool_release(reason=reason.id)
        history = self.logs(lead)
        claim, release = self.logs(lead, 'claim'), self.logs(lead, 'release')
        self.assertEqual((claim.to_user_id, release.from_user_id,
                          release.reason_id), (temp, temp, reason))

        reason.unlink()
        temp.unlink()
        self.env.clear()
        # every row stays, naming the same ids: who took it, from whom, why
        self.assertEqual(self.logs(lead), history)
        self.assertEqual((claim.to_user_id.id, claim.actor_id.id,
                          release.from_user_id.id, release.reason_id.id),
                         (temp.id, temp.id, temp.id, reason.id))
        self.assertEqual(release.reason, 'Wrong region')
        # ... and the history list still reads (the names are gone)
        row = self.logs(lead, 'release').read(
            ['from_user_id', 'reason_id', 'pool_id', 'action'])[0]
        self.assertEqual((row['from_user_id'], row['reason_id'],
                          row['pool_id'][0], row['action']),
                         (False, False, self.pool.id, 'release'))
