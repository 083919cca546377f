# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""LIKE patterns from user or sender input (no ``odoo`` import)."""


def escape_like(value):
    """``value`` with ``\\``, ``%`` and ``_`` escaped, so that an ``=like`` /
    ``=ilike`` look-up matches it literally (PostgreSQL's default escape
    character is the backslash)."""
    return (value or '').replace('\\', '\\\\').replace('%', '\\%').replace(
        '_', '\\_')
