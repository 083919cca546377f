from . import crm_lead_score_rule_preview
