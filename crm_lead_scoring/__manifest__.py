# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Lead Scoring",
    "summary": "Explainable fit and engagement lead scores with decay, grades and a score event ledger.",
    "version": "11.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-suite/crm-suite",
    "author": "CRM Suite Contributors",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": ['crm'],
    "data": [
        "security/ir.model.access.csv",
    ],
    "demo": [],
}
