"""Credentials are found as the CLI finds them (no server needed)."""
import json
import os
import tempfile
import unittest

from atelier import MLClient, ValidationException
from atelier._http import resolve_credentials


class CredentialsLookupTest(unittest.TestCase):
    def setUp(self):
        self.config = tempfile.mkdtemp()
        with open(os.path.join(self.config, "credentials"), "w") as handle:
            json.dump({"servers": {"http://h:5000": {"token": "atl_stored", "token_id": "1", "username": "ada"}}}, handle)

    def test_the_token_variable_then_user_and_password_then_the_credentials_file(self):
        base = {"ATELIER_CONFIG_DIR": self.config}
        token = resolve_credentials("http://h:5000", dict(base, ATELIER_TOKEN="atl_env", ATELIER_USERNAME="u", ATELIER_PASSWORD="p"))
        self.assertEqual((token.header, token.source), ("Bearer atl_env", "ATELIER_TOKEN"))
        basic = resolve_credentials("http://h:5000", dict(base, ATELIER_USERNAME="ada", ATELIER_PASSWORD="secret"))
        self.assertEqual(basic.header, "Basic YWRhOnNlY3JldA==")
        stored = resolve_credentials("http://h:5000", base)
        self.assertEqual(stored.header, "Bearer atl_stored")
        self.assertIn(os.path.join(self.config, "credentials"), stored.source)
        self.assertIsNone(resolve_credentials("http://other:5000", base).header)
        self.assertNotIn("atl_stored", repr(stored))

    def test_a_broken_credentials_file_is_named(self):
        with open(os.path.join(self.config, "credentials"), "w") as handle:
            handle.write("{not json")
        with self.assertRaises(ValidationException) as raised:
            resolve_credentials("http://h:5000", {"ATELIER_CONFIG_DIR": self.config})
        self.assertIn("fix or delete it", str(raised.exception))

    def test_the_client_takes_the_url_and_workspace_and_refuses_a_bad_url(self):
        client = MLClient("http://h:5000/", workspace="team-a", token="atl_x")
        self.assertEqual(client.tracking_uri, "http://h:5000/w/team-a")
        self.assertEqual(client._native_path("jobs"), "/w/team-a/api/v1/jobs")
        self.assertEqual(MLClient("http://h:5000", token="t")._native_path("jobs"), "/api/v1/jobs")
        with self.assertRaises(ValidationException):
            MLClient("ftp://h")


if __name__ == "__main__":
    unittest.main()
