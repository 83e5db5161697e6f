"""Test your own automation the way dbcloud tests itself: against the emulator, and by replaying
cassettes recorded with the credentials scrubbed.

Install the `testing` extra (`pip install 'dbcloud[testing]'`); pytest then loads the plugin
(`dbcloud.testing._plugin`, the `pytest11` entry point `dbcloud`) by itself. It gives:

- `dbcloud_emulator`: a running emulator (`dbcloud.emulator.Emulator`: `.env`, `.advance()`,
  `.add_fault()`, `.fail_next_launch()`), one per session, its faults and drift cleared after
  each test; `dbcloud_emulator_env` sets its variables in the environment for the test.
- `dbcloud_vcr_config`: the options below, for pytest-recording. The plugin does not replace
  pytest-recording's `vcr_config` itself (that would change the cassettes of a project that never
  asked); opt in from a conftest.py:

      @pytest.fixture
      def vcr_config(dbcloud_vcr_config):
          return dbcloud_vcr_config

Without pytest, `vcr_config()` gives the same options and `register(vcr)` registers the matcher
and serializer on a `vcr.VCR` of your own. This module imports vcrpy only when a cassette is read
or written.
"""

from ._config import (
    SERIALIZER,
    VENDOR_URLS,
    CheckedSerializer,
    add_secrets,
    emulator_rewrites,
    known_secrets,
    register,
    vcr_config,
)
from ._match import MATCH_ON, json_body
from ._scrub import ORG_PLACEHOLDER, PLACEHOLDER, Scrubber, is_placeholder, problems, scrub_identifiers

json_body_matcher = json_body
"""vcrpy matcher (registered as "json_body"): the bodies compared as JSON or form fields; raises
AssertionError naming each differing field."""

__all__ = [
    "MATCH_ON",
    "ORG_PLACEHOLDER",
    "PLACEHOLDER",
    "SERIALIZER",
    "VENDOR_URLS",
    "CheckedSerializer",
    "Scrubber",
    "add_secrets",
    "emulator_rewrites",
    "is_placeholder",
    "json_body",
    "json_body_matcher",
    "known_secrets",
    "problems",
    "register",
    "scrub_identifiers",
    "vcr_config",
]
