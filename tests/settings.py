"""The settings of the test suite: the portal's settings in testing mode, said explicitly (never guessed from
what is imported). Subprocesses the tests start inherit KOKPORTAL_TESTING from the environment."""

import os

os.environ["KOKPORTAL_TESTING"] = "1"

from kokportal.settings import *  # noqa: F403
