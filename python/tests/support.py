"""What the tests that need a server share: its URL from ATELIER_URL. Without one they are skipped, except under
CI=true, where nothing may skip (the JUnit test PythonPackageTest always starts a server and sets it)."""
import os
import unittest


def require(variable="ATELIER_URL"):
    value = os.environ.get(variable)
    if value:
        return value
    if os.environ.get("CI") == "true":
        raise AssertionError("%s is not set: under CI=true these tests run against a server (PythonPackageTest)" % variable)
    raise unittest.SkipTest("%s is not set (PythonPackageTest starts a server and sets it)" % variable)
