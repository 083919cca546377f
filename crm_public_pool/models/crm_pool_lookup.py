"""Attribute look-ups of the pool models in one step (CPython 3.7).

CPython 3.7 never uses its type attribute cache for a class whose metaclass
is not ``type``: ``type_mro_modified`` compares two freshly bound ``mro``
methods, which are never the same object, and clears the class's version
tag (fixed in CPython 3.8). Every Odoo model has such a metaclass, so every
attribute of a record (``record.env``, ``record._ids``, ``ensure_one``,
``__len__``...) is found by walking the model class's MRO, and each
``_inherit`` adds one class to it. The suite's concerns (masking, counts,
guard, claim, duplicates, history...) took ``res.partner`` from 23 classes
to 57 and ``crm.lead`` from 18 to 54, which made a salesperson's standard
reads of contacts and opportunities 1.3 to 1.8 times slower in CPU than
with ``crm`` alone (``tests/bench/bench_standard_paths.py``).

Once the registry is complete (``crm.pool.mixin._register_hook``), the
class of each pool model gets, in its own dictionary, what a walk of its
MRO finds first for every name (the same objects: nothing is wrapped), and
empty class-level slots for the three attributes every record sets (``env``, ``_ids``,
``_prefetch``), so that a look-up ends at the first class. Only classes no
other class derives from are flattened: a copy in a base class would hide
the later bases of its subclasses. The registry does not change a class's
bases after ``_register_hook`` (a module installed later builds a new
registry); ``unflatten_lookups`` undoes it (tests, benchmarks).
"""
import inspect

from odoo.fields import Field

# set on every record by BaseModel._browse
RECORD_ATTRIBUTES = ('env', '_ids', '_prefetch')
# never copied: the class's own identity, and descriptors of the instance
# layout of the class that defines them
NEVER_COPIED = frozenset(['__dict__', '__weakref__', '__module__', '__doc__',
                          '__qualname__', '__slots__'])
COPIED_MARK = '_pool_flat_lookups'


def _copyable(name, value):
    if name in NEVER_COPIED or isinstance(value, Field):
        return False
    if name.startswith('__') and name.endswith('__'):
        # special methods, as plain functions only (e.g. not __new__, a
        # staticmethod the type machinery handles, nor a __hash__ = None)
        return inspect.isfunction(value)
    return True


def flatten_lookups(cls):
    """Copy into ``cls`` what its MRO resolves first, name by name; returns
    the number of names copied (0 when ``cls`` has subclasses or is done)."""
    if type.__subclasses__(cls) or COPIED_MARK in vars(cls):
        return 0
    own = vars(cls)
    seen = set(own)
    copied = []
    for base in cls.__mro__[1:]:
        if base is object:
            continue
        for name, value in list(vars(base).items()):
            if name in seen:
                continue
            # the first definition decides, copied or not: a later one
            # must never win over it
            seen.add(name)
            if _copyable(name, value):
                copied.append((name, value))
    for name, value in copied:
        setattr(cls, name, value)
    slots = [name for name in RECORD_ATTRIBUTES if name not in own]
    for name in slots:
        setattr(cls, name, None)
    setattr(cls, COPIED_MARK, tuple(name for name, _value in copied) + tuple(
        slots))
    return len(copied)


def unflatten_lookups(cls):
    """Remove what :func:`flatten_lookups` copied into ``cls``."""
    names = vars(cls).get(COPIED_MARK)
    if names is None:
        return 0
    for name in names:
        delattr(cls, name)
    delattr(cls, COPIED_MARK)
    return len(names)
