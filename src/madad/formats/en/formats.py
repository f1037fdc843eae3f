"""English as written in Pakistan: 4 Mar 2026, 04/03/2026, 13:05."""

from madad.formats.common import *  # noqa: F403 (Django reads the module's names)
from madad.formats.common import DATE_INPUT_FORMATS as _COMMON_DATE_INPUT_FORMATS

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
DATE_INPUT_FORMATS = [*_COMMON_DATE_INPUT_FORMATS, "%d %b %Y", "%d %B %Y"]  # 4 Mar 2026
