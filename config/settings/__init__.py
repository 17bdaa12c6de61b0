"""Settings come from the environment (12-factor); see `base.py` and the README.

`DJANGO_SETTINGS_MODULE=config.settings` (manage.py, wsgi) means the base settings. Python runs
this file before any submodule, so it must not import `base` when another module such as
`config.settings.test` is chosen: `base` would then be evaluated before `test` sets its
environment defaults, and refuse to start without a secret key.
"""

import os

if os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings") == "config.settings":
    from config.settings.base import *  # noqa: F403
