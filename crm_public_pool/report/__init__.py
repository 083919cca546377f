from . import crm_pool_health_report
from . import crm_pool_activity_report
from . import crm_followup_target_report
from . import crm_pool_conversion_report
