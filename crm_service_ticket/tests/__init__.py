from . import test_ticket_sla_lib
from . import test_ticket_sla_orm
from . import test_ticket_escalation
from . import test_ticket_lifecycle
from . import test_ticket_mail
from . import test_ticket_report
from . import test_ticket_security
from . import test_ticket_gateway_lib
