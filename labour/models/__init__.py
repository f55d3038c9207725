"""Labour relations (维权, 集体协商, 和谐企业, 职代会, 百名干部联基层). One module per part:

- ``deadlines``: every deadline as data (length, working or calendar days, whether the first day counts)
- ``cases``: rights-protection cases (维权), their steps, the legal-aid roster (律师库)
- ``contracts``: collective contracts, bargaining rounds, bargaining officers and instructors
- ``ratings``: harmonious labour-relations enterprise rating batches (和谐劳动关系企业)
- ``congress``: workers' congress sessions (职代会) and open factory affairs (厂务公开)
- ``liaison``: cadres' liaison assignments and visits (百名干部联基层)
"""

from .cases import *  # noqa: F403
from .congress import *  # noqa: F403
from .contracts import *  # noqa: F403
from .deadlines import *  # noqa: F403
from .liaison import *  # noqa: F403
from .ratings import *  # noqa: F403
