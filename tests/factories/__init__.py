"""factory_boy factories for every model of the project's apps, one module per app; each builds its object
through the service that makes it where there is one. ``make_member`` is the one way tests add a member.

``tests/test_factories.py`` builds every factory here and fails when a model of our apps has none."""

import factory.random

from .awards import *  # noqa: F403
from .competitions import *  # noqa: F403
from .core import *  # noqa: F403
from .core import holder, new_id_number, new_mobile, pdf  # noqa: F401
from .dashboard import *  # noqa: F403
from .funds import *  # noqa: F403
from .members import *  # noqa: F403
from .members import make_member  # noqa: F401
from .mutual_aid import *  # noqa: F403

# The same fake names and firms on every run: a failure shows the same data when it is run again.
factory.random.reseed_random("union-portal")
