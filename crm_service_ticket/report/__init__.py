from . import crm_service_ticket_report
