"""Pool policy math that needs no database (no ``odoo`` import here)."""
