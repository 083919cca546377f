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
        "security/crm_lead_scoring_security.xml",
        "data/crm_lead_score_event_type_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_lead_score_rule_views.xml",
        "views/crm_lead_score_event_type_views.xml",
        "wizards/crm_lead_score_rule_preview_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_lead_scoring_menus.xml",
    ],
    "demo": [
        "demo/crm_lead_score_rule_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
}
