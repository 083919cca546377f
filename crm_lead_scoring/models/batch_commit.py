# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Batch commits of the scheduled jobs, one mechanism for the suite.

A cron that works through many rows commits after each batch: locks stay
short, a killed run leaves whole batches only and the next run resumes.
Each batch runs under READ COMMITTED, so a row another server has just
changed is re-checked instead of failing the batch with a serialization
error (Odoo's REPEATABLE READ); ``FOR UPDATE SKIP LOCKED`` in the batch
queries does the rest.

Nothing commits inside a test: Odoo's test runner is detected, and the one
switch tests (and callers inside a request) use is the context key
:data:`NO_COMMIT`.

The same module ships in each addon of the suite (the addons do not depend
on each other).
"""
import threading

import psycopg2.extensions

NO_COMMIT = 'crm_no_commit'


def can_commit(env):
    """Whether a job running on ``env`` may commit per batch."""
    return not (env.context.get(NO_COMMIT)
                or getattr(threading.current_thread(), 'testing', False)
                or env.registry.in_test_mode())


def start(env):
    """Open a run of batches; returns whether it commits. The caller's
    snapshot is closed so that each batch starts a transaction of its own."""
    commit = can_commit(env)
    if commit:
        env.cr.commit()  # pylint: disable=invalid-commit
    return commit


def begin(env, commit):
    """Start one batch (a READ COMMITTED transaction when committing)."""
    if not commit:
        return
    # Reads made between two batches (settings, translations) opened a
    # transaction: close it, a batch starts its own.
    # pylint: disable=protected-access
    status = env.cr._cnx.get_transaction_status()
    if status != psycopg2.extensions.TRANSACTION_STATUS_IDLE:
        env.cr.commit()  # pylint: disable=invalid-commit
    env.cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")


def end(env, commit):
    """Close one batch: one commit per batch."""
    if commit:
        env.cr.commit()  # pylint: disable=invalid-commit
