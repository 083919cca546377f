"""The marker of writes made by the pool itself.

The context value is an object, not a JSON value, so an RPC client can
never forge it: only server code of this addon sets it, after the checks of
the pool action that writes.
"""

POOL_INTERNAL = object()


def is_pool_internal(env):
    """Whether ``env`` carries the pool's own write marker."""
    return env.context.get('crm_pool_internal') is POOL_INTERNAL


# Marks the creation of a pool record in progress (Odoo's own followers of a
# new record are subscribed then), unforgeable like POOL_INTERNAL.
POOL_CREATING = object()


def is_pool_creating(env):
    """Whether ``env`` is the one of a pool record's creation."""
    return env.context.get('crm_pool_creating') is POOL_CREATING
