from . import test_pool_policy
from . import test_pool_claim
from . import test_pool_freeze
from . import test_pool_access
from . import test_pool_followup
from . import test_pool_partner
from . import test_pool_wizard
