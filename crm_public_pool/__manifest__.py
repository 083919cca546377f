# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Public Pool (公海)",
    "summary": "Public pool of leads and customers: claim, assign, reclaim, freeze, quotas, duplicate check and ownership history.",
    "version": "11.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-suite/crm-suite",
    "author": "CRM Suite Contributors",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": ['crm', 'mail'],
    "data": [
        "security/ir.model.access.csv",
    ],
    "demo": [],
}
