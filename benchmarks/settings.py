"""Settings for the benchmarks: the production settings plus one trivial view to compare against."""

from kokportal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
