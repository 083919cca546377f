# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Service Tickets (服务工单)",
    "summary": "服务工单：工作时间 SLA、邮件、门户、评价、回访与客户关怀 · Helpdesk-style service tickets with SLAs on working hours, email, portal, ratings, return visits and customer care.",
    "version": "11.0.1.1.0",
    "category": "Helpdesk",
    "website": "https://github.com/crm-suite/crm-suite",
    "author": "CRM Suite Contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ['crm', 'mail', 'portal', 'rating', 'resource'],
    "data": [
        "security/ticket_security.xml",
        "security/ir.model.access.csv",
        "data/ticket_data.xml",
        "data/mail_template_data.xml",
        "views/crm_service_ticket_views.xml",
        "views/crm_service_config_views.xml",
        "views/crm_service_ticket_report_views.xml",
        "views/res_partner_views.xml",
        "views/portal_templates.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/ticket_demo.xml",
        "demo/ticket_complaint_demo.xml",
    ],
}
