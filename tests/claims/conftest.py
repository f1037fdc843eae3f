from tests.assistance.fixtures import *  # noqa: F403
