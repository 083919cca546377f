from . import crm_pool_wizard_mixin
from . import crm_pool_release_wizard
from . import crm_pool_assign_wizard
from . import crm_pool_transfer_wizard
from . import crm_pool_freeze_wizard
from . import crm_pool_followup_wizard
from . import crm_pool_public_search
from . import crm_followup_review_wizard
