"""The rate limiter of the suite's plain-JSON endpoints (capture, score
events): the token bucket math without a database, then the shared bucket
on real cursors of the test database."""
import unittest
import uuid
from datetime import datetime, timedelta

from odoo import sql_db
from odoo.tests.common import TransactionCase

from odoo.addons.crm_public_pool.controllers import plain_json


class TestTokenBucket(unittest.TestCase):

    def test_burst_then_refill(self):
        start = datetime(2024, 3, 1, 8, 0, 0)
        tokens, at, results = None, None, []
        for _i in range(4):
            allowed, tokens, retry = plain_json.consume(
                tokens, at, start, 3.0, 3 / 60.0)
            at = start
            results.append(allowed)
        self.assertEqual(results, [True, True, True, False])
        self.assertAlmostEqual(retry, 20.0)
        # 20 s later one token is back, not two
        later = start + timedelta(seconds=20)
        allowed, tokens, _retry = plain_json.consume(
            tokens, at, later, 3.0, 3 / 60.0)
        self.assertTrue(allowed)
        allowed, tokens, _retry = plain_json.consume(
            tokens, later, later, 3.0, 3 / 60.0)
        self.assertFalse(allowed)

    def test_caps_at_capacity_and_ignores_clock_skew(self):
        start = datetime(2024, 3, 1, 8, 0, 0)
        allowed, tokens, _r = plain_json.consume(
            0.0, start, start + timedelta(hours=5), 2.0, 1.0)
        self.assertTrue(allowed)
        self.assertEqual(tokens, 1.0)
        allowed, tokens, _r = plain_json.consume(
            0.0, start, start - timedelta(hours=1), 2.0, 1.0)
        self.assertFalse(allowed)
        self.assertEqual(tokens, 0.0)

    def test_no_limit(self):
        self.assertTrue(plain_json.consume(
            None, None, datetime(2024, 1, 1), 0, 0)[0])


class TestRateLimitBucket(TransactionCase):
    """The bucket lives in the database, one row per key, written on a
    cursor of its own (as every worker and server shares it)."""

    post_install = True
    at_install = False

    def setUp(self):
        super(TestRateLimitBucket, self).setUp()
        self.key = 'test:%s' % uuid.uuid4().hex
        self.addCleanup(self._drop_bucket)

    def _drop_bucket(self):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute('DELETE FROM %s WHERE key = %%s' % plain_json.RATE_TABLE,
                       (self.key,))

    def test_refuses_beyond_the_limit_with_retry_after(self):
        dbname = self.env.cr.dbname
        for _i in range(3):
            plain_json.rate_limit(dbname, self.key, 3)
        with self.assertRaises(plain_json.JsonError) as refused:
            plain_json.rate_limit(dbname, self.key, 3)
        self.assertEqual(refused.exception.status, 429)
        self.assertIn('3', refused.exception.message)
        retry = dict(refused.exception.headers)['Retry-After']
        self.assertGreaterEqual(int(retry), 1)
        # other keys have buckets of their own; no limit means no bucket
        plain_json.rate_limit(dbname, self.key + ':other', 3)
        plain_json.rate_limit(dbname, self.key, 0)
        with sql_db.db_connect(dbname).cursor() as cr:
            cr.execute('DELETE FROM %s WHERE key = %%s' % plain_json.RATE_TABLE,
                       (self.key + ':other',))

    def test_refused_requests_count_and_survive_a_rollback(self):
        dbname = self.env.cr.dbname
        plain_json.rate_limit(dbname, self.key, 1)
        # the request's own transaction rolls back: the count stays
        self.env.cr.rollback()
        with self.assertRaises(plain_json.JsonError):
            plain_json.rate_limit(dbname, self.key, 1)
