"""Hardship assistance (困难职工精准帮扶, 送温暖). One module per part of the process:

- ``rules``: the versioned rules the district admin edits (minimum living standard line, multiple, causes, notice length, ...)
- ``applications``: a worker's application, the household, incomes, spending, documents, the home visit
- ``files``: the hardship file (档案) of a household, its people, its yearly reviews and closure
- ``campaigns``: help campaigns (送温暖, 金秋助学, 医疗救助, 生活救助), their recipients and sign-off sheets
"""

from .applications import *  # noqa: F403
from .campaigns import *  # noqa: F403
from .choices import *  # noqa: F403
from .files import *  # noqa: F403
from .rules import *  # noqa: F403
