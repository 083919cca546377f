# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Database-free policy code of the service tickets (no ``odoo`` import)."""
