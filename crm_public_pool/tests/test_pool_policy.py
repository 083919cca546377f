"""Pool policy math without a database."""
import unittest
from datetime import datetime

from ..policy import contact, deadline

CLAIMED = datetime(2024, 3, 1, 9, 0, 0)


class TestPoolDeadline(unittest.TestCase):

    def test_idle_only(self):
        self.assertEqual(
            deadline.compute_deadline(CLAIMED, None, idle_days=10),
            datetime(2024, 3, 11, 9, 0, 0))

    def test_followup_moves_idle_clock(self):
        followup = datetime(2024, 3, 5, 12, 0, 0)
        self.assertEqual(
            deadline.compute_deadline(CLAIMED, followup, idle_days=10),
            datetime(2024, 3, 15, 12, 0, 0))

    def test_old_followup_ignored(self):
        followup = datetime(2024, 2, 1)
        self.assertEqual(
            deadline.compute_deadline(CLAIMED, followup, idle_days=10),
            datetime(2024, 3, 11, 9, 0, 0))

    def test_earlier_of_idle_and_nodeal(self):
        followup = datetime(2024, 3, 20)
        self.assertEqual(
            deadline.compute_deadline(CLAIMED, followup, idle_days=10,
                                      nodeal_days=25),
            datetime(2024, 3, 26, 9, 0, 0))

    def test_zero_turns_policy_off(self):
        self.assertIsNone(deadline.compute_deadline(CLAIMED, None, 0, 0))
        self.assertEqual(
            deadline.compute_deadline(CLAIMED, None, idle_days=0,
                                      nodeal_days=5),
            datetime(2024, 3, 6, 9, 0, 0))

    def test_no_deadline_when_unowned_frozen_won(self):
        self.assertIsNone(deadline.compute_deadline(CLAIMED, None, 10, 10,
                                                    owned=False))
        self.assertIsNone(deadline.compute_deadline(CLAIMED, None, 10, 10,
                                                    frozen=True))
        self.assertIsNone(deadline.compute_deadline(CLAIMED, None, 10, 10,
                                                    won=True))
        self.assertIsNone(deadline.compute_deadline(None, None, 10, 10))

    def test_days_left(self):
        self.assertEqual(deadline.days_left(datetime(2024, 3, 4, 10),
                                            datetime(2024, 3, 1, 9)), 3)
        self.assertEqual(deadline.days_left(datetime(2024, 3, 1, 8),
                                            datetime(2024, 3, 1, 9)), -1)
        self.assertIsNone(deadline.days_left(None, CLAIMED))

    def test_cooldown_and_freeze_limit(self):
        self.assertEqual(deadline.cooldown_end(CLAIMED, 7),
                         datetime(2024, 3, 8, 9, 0, 0))
        self.assertIsNone(deadline.cooldown_end(CLAIMED, 0))
        self.assertIsNone(deadline.cooldown_end(None, 7))
        self.assertEqual(deadline.freeze_limit(CLAIMED, 30),
                         datetime(2024, 3, 31, 9, 0, 0))
        self.assertIsNone(deadline.freeze_limit(CLAIMED, 0))


class TestPoolContact(unittest.TestCase):

    def test_normalize_phone(self):
        for raw in ('+86 138 1234 5678', '0086-138-1234-5678',
                    '138 1234 5678', '(138)1234-5678', '8613812345678'):
            self.assertEqual(contact.normalize_phone(raw), '13812345678', raw)
        self.assertEqual(contact.normalize_phone('021-6234 5678'),
                         '02162345678')
        self.assertEqual(contact.normalize_phone(''), '')
        self.assertEqual(contact.normalize_phone(None), '')

    def test_normalize_email(self):
        self.assertEqual(contact.normalize_email(' Alice@Example.COM '),
                         'alice@example.com')
        self.assertEqual(contact.normalize_email('Alice <Alice@Example.com>'),
                         'alice@example.com')
        self.assertEqual(contact.normalize_email(False), '')

    def test_normalize_company(self):
        self.assertEqual(contact.normalize_company('上海 华东 科技有限公司'),
                         contact.normalize_company('上海华东科技'))
        self.assertEqual(contact.normalize_company('Acme Co., Ltd.'),
                         contact.normalize_company('ACME'))
        self.assertEqual(contact.normalize_company('Acme Inc.'), 'acme')
        self.assertEqual(contact.normalize_company('Costco'), 'costco')
        self.assertNotEqual(contact.normalize_company('Acme'),
                            contact.normalize_company('Acne'))

    def test_mask(self):
        self.assertEqual(contact.mask_phone('13812345678'), '138****5678')
        self.assertEqual(contact.mask_phone('+86 138 1234 5678'),
                         '138****5678')
        self.assertEqual(contact.mask_phone('12345'), '***45')
        self.assertEqual(contact.mask_email('alice@example.com'),
                         'a***@example.com')
        self.assertEqual(contact.mask_email('nobody'), 'n***')
        self.assertFalse(contact.mask_phone(False))

    def test_mask_text(self):
        """Contact data in free text (a chatter message) is masked like the
        fields; dates, short numbers and ids are left alone."""
        self.assertEqual(
            contact.mask_text('<p>Call 138 1234 5678 or +86-139-8765-4321, '
                              'mail Zhang.Wei@Corp.cn</p>'),
            '<p>Call 138****5678 or 139****4321, mail z***@corp.cn</p>')
        self.assertEqual(contact.mask_text('Tel: (021) 6123-4567'),
                         'Tel: (021****4567')
        for text in ('on 2026-12-02 10:45:18', 'order 12345', 'ref #1234567',
                     '', False):
            self.assertEqual(contact.mask_text(text), text)
        self.assertEqual(contact.mask_text('Li <li_na@corp.cn>'),
                         'Li <l***@corp.cn>')

    def test_placeholder(self):
        for value in ('138****5678', 'a***@example.com', '***'):
            self.assertTrue(contact.is_placeholder(value))
        for value in ('13812345678', 'a@example.com', False, None, 5):
            self.assertFalse(contact.is_placeholder(value))

    def test_escape_like(self):
        self.assertEqual(contact.escape_like('zhang_wei@corp.cn'),
                         'zhang\\_wei@corp.cn')
        self.assertEqual(contact.escape_like('100%\\'), '100\\%\\\\')
        self.assertEqual(contact.escape_like('138____5678'),
                         '138\\_\\_\\_\\_5678')

    def test_exact_condition(self):
        for operator, value in (('=', '13812345678'), ('!=', 'a@b.cn'),
                                ('=ilike', 'A@B.CN'), ('=', False)):
            self.assertTrue(contact.is_exact_condition(operator, value))
        for operator, value in (('ilike', '138'), ('=like', '138____5678'),
                                ('=ilike', '%@b.cn'), ('in', ['1', '2']),
                                ('>=', '138'), ('not ilike', '138'),
                                ('=', ['13812345678'])):
            self.assertFalse(contact.is_exact_condition(operator, value))
