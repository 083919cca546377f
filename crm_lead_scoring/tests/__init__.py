from . import test_lead_scoring_lib
from . import common
from . import test_lead_scoring_rules
from . import test_lead_scoring_events
from . import test_lead_scoring_access
from . import test_lead_scoring_http
from . import test_lead_scoring_nightly
from . import test_lead_scoring_manual
