"""Distribution order and quotas, without a database."""
import unittest
from datetime import datetime

from odoo.addons.crm_public_pool.policy import distribution as dist


def _recs(*specs):
    """(id, priority, day of month) -> (id, priority, datetime)."""
    return [(rid, prio, datetime(2024, 3, day)) for rid, prio, day in specs]


class TestHotFirst(unittest.TestCase):

    def test_priority_then_age_then_id(self):
        records = _recs((1, '0', 1), (2, '3', 5), (3, '3', 2), (4, '1', 1),
                        (5, '3', 2))
        self.assertEqual([r[0] for r in dist.hot_first(records)],
                         [3, 5, 2, 4, 1])

    def test_missing_values(self):
        records = [(1, None, None), (2, False, datetime(2024, 1, 1)),
                   (3, 'x', datetime(2023, 1, 1))]
        self.assertEqual([r[0] for r in dist.hot_first(records)], [3, 2, 1])


class TestRoundRobin(unittest.TestCase):

    def test_deals_in_order_and_persists_pointer(self):
        members = [dist.Member(10), dist.Member(20), dist.Member(30)]
        records = _recs((1, '0', 1), (2, '0', 2), (3, '0', 3), (4, '0', 4))
        assignment, pointer = dist.round_robin(records, members)
        self.assertEqual(assignment, {1: 10, 2: 20, 3: 30, 4: 10})
        self.assertEqual(pointer, 10)
        # the next run starts after the pointer
        more = _recs((5, '0', 5), (6, '0', 6))
        assignment, pointer = dist.round_robin(more, members, pointer)
        self.assertEqual(assignment, {5: 20, 6: 30})
        self.assertEqual(pointer, 30)

    def test_unknown_pointer_starts_at_first(self):
        members = [dist.Member(10), dist.Member(20)]
        assignment, pointer = dist.round_robin(_recs((1, '0', 1)), members, 99)
        self.assertEqual(assignment, {1: 10})
        self.assertEqual(pointer, 10)

    def test_skips_inactive_and_full_members(self):
        members = [dist.Member(10, quota=2, owned=2),
                   dist.Member(20, active=False),
                   dist.Member(30, quota=3, owned=1)]
        records = _recs((1, '0', 1), (2, '0', 2), (3, '0', 3))
        assignment, _pointer = dist.round_robin(records, members)
        # member 30 has room for exactly 2: the third record stays
        self.assertEqual(assignment, {1: 30, 2: 30})
        self.assertEqual(members[2].owned, 3)

    def test_hot_records_first_when_room_is_short(self):
        members = [dist.Member(10, quota=1)]
        records = _recs((1, '0', 1), (2, '2', 9), (3, '2', 3))
        assignment, _pointer = dist.round_robin(records, members)
        self.assertEqual(assignment, {3: 10})

    def test_excluded_pairs(self):
        members = [dist.Member(10), dist.Member(20)]
        records = _recs((1, '0', 1), (2, '0', 2))
        assignment, _pointer = dist.round_robin(records, members,
                                                excluded={(1, 10)})
        self.assertEqual(assignment[1], 20)
        self.assertEqual(assignment[2], 10)

    def test_no_members(self):
        self.assertEqual(dist.round_robin(_recs((1, '0', 1)), [], 5), ({}, 5))


class TestBalanced(unittest.TestCase):

    def test_fewest_owned_first(self):
        members = [dist.Member(10, owned=5), dist.Member(20, owned=1),
                   dist.Member(30, owned=3)]
        records = _recs(*[(i, '0', i) for i in range(1, 7)])
        assignment = dist.balanced(records, members)
        counts = {}
        for uid in assignment.values():
            counts[uid] = counts.get(uid, 0) + 1
        # 20 fills up to 3 and 4, then everybody levels at 5
        self.assertEqual(counts, {20: 4, 30: 2})
        self.assertEqual([m.owned for m in members], [5, 5, 5])
        self.assertEqual(assignment[1], 20)

    def test_never_exceeds_quota(self):
        members = [dist.Member(10, quota=2), dist.Member(20, quota=1, owned=0)]
        records = _recs(*[(i, '0', i) for i in range(1, 10)])
        assignment = dist.balanced(records, members)
        self.assertEqual(len(assignment), 3)
        self.assertEqual(sorted(assignment.values()), [10, 10, 20])

    def test_at_quota_member_skipped(self):
        members = [dist.Member(10, quota=4, owned=4), dist.Member(20, owned=9)]
        assignment = dist.balanced(_recs((1, '0', 1)), members)
        self.assertEqual(assignment, {1: 20})

    def test_excluded_path(self):
        members = [dist.Member(10), dist.Member(20, owned=3)]
        assignment = dist.balanced(_recs((1, '0', 1), (2, '0', 2)), members,
                                   excluded={(1, 10)})
        self.assertEqual(assignment, {1: 20, 2: 10})


class TestRule(unittest.TestCase):

    def test_routes_by_matches_and_leaves_the_rest(self):
        shanghai = dist.Member(10, matches={1, 2})
        beijing = dist.Member(20, matches={3})
        nobody = dist.Member(30, matches=None)
        records = _recs((1, '0', 1), (2, '0', 2), (3, '0', 3), (4, '0', 4))
        assignment = dist.rule(records, [shanghai, beijing, nobody])
        self.assertEqual(assignment, {1: 10, 2: 10, 3: 20})

    def test_overlap_goes_to_fewest_owned_within_quota(self):
        east = dist.Member(10, quota=1, matches={1, 2, 3})
        east2 = dist.Member(20, owned=2, matches={1, 2, 3})
        records = _recs((1, '1', 1), (2, '0', 2), (3, '0', 3))
        assignment = dist.rule(records, [east, east2])
        self.assertEqual(assignment, {1: 10, 2: 20, 3: 20})

    def test_distribute_dispatch(self):
        members = [dist.Member(10, matches={1})]
        self.assertEqual(dist.distribute('rule', _recs((1, '0', 1)), members),
                         ({1: 10}, None))
        self.assertEqual(dist.distribute('manual', _recs((1, '0', 1)),
                                         members, 7), ({}, 7))
        self.assertEqual(dist.distribute('balanced', _recs((2, '0', 1)),
                                         [dist.Member(10)], 7), ({2: 10}, 7))

    def test_room(self):
        self.assertIsNone(dist.Member(1, quota=0).room())
        self.assertEqual(dist.Member(1, quota=3, owned=5).room(), 0)
        self.assertFalse(dist.Member(1, quota=3, owned=3).has_room())
