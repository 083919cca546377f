"""The pool models' classes resolve every attribute as their MRO does.

models/crm_pool_lookup.py copies into the class of each pool model what a
walk of its MRO finds first, so that CPython 3.7 (which walks the MRO of
every Odoo model on each look-up) stops at the first class. A copy that is
missing, out of date or taken from the wrong base would silently change
which method runs: these tests compare every name with the walk itself."""
from odoo.tests.common import SavepointCase

from odoo.addons.crm_public_pool.models import crm_pool_lookup as lookup


def resolved(cls):
    """{name: the object an attribute look-up on ``cls`` finds}."""
    found = {}
    for klass in cls.__mro__:
        for name, value in vars(klass).items():
            found.setdefault(name, value)
    return found


class TestPoolLookup(SavepointCase):

    at_install = False
    post_install = True

    def test_pool_models_resolve_every_name_as_their_mro(self):
        for model in self.env['crm.pool.mixin']._pool_models():
            cls = type(self.env[model])
            self.assertIn(lookup.COPIED_MARK, vars(cls),
                          '%s is not flattened by the registry' % model)
            self.assertIn('ensure_one', vars(cls))
            flat = resolved(cls)
            self.assertGreater(lookup.unflatten_lookups(cls), 100)
            try:
                self.assertNotIn('ensure_one', vars(cls))
                walked = resolved(cls)
            finally:
                lookup.flatten_lookups(cls)
            for name, value in walked.items():
                self.assertIs(flat[name], value,
                              '%s.%s differs from its MRO' % (model, name))
            # only the record attributes' class-level slots are added
            self.assertEqual(
                set(flat) - set(walked),
                set(lookup.RECORD_ATTRIBUTES) | {lookup.COPIED_MARK})
            self.assertIsNone(vars(cls)['env'])
            self.assertIs(self.env[model].env, self.env)
            self.assertEqual(self.env[model].browse([1, 2])._ids, (1, 2))

    def test_a_class_other_classes_derive_from_is_never_flattened(self):
        mixin = type(self.env['crm.pool.mixin'])
        self.assertTrue(type.__subclasses__(mixin))
        self.assertNotIn(lookup.COPIED_MARK, vars(mixin))
        self.assertEqual(lookup.flatten_lookups(mixin), 0)
        self.assertNotIn('ensure_one', vars(mixin))
        # a model outside the pool keeps Odoo's plain class
        self.assertNotIn(lookup.COPIED_MARK, vars(type(self.env['crm.team'])))

    def test_flattening_twice_changes_nothing(self):
        cls = type(self.env['crm.lead'])
        before = dict(vars(cls))
        self.assertEqual(lookup.flatten_lookups(cls), 0)
        self.assertEqual(dict(vars(cls)), before)
