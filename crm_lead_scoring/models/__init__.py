from . import crm_lead_score_lead_bound
from . import crm_lead_score_event_type
from . import crm_lead_score_rule
from . import crm_lead_score_event
from . import crm_lead_score_line
from . import crm_lead
from . import mail_activity
from . import res_config_settings
