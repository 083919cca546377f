from . import crm_lead_score_rule_preview
from . import crm_lead_score_event_manual
