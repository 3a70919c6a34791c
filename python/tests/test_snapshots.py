import os
import tempfile
import unittest

from atelier import _snapshots
from atelier.exceptions import ValidationException


def write(root, relative, content="x"):
    path = os.path.join(root, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(content)


class SnapshotScanTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp()

    def paths(self, **kwargs):
        return [entry[0] for entry in _snapshots.scan(self.root, **kwargs)]

    def test_amlignore_wins_over_gitignore_and_git_is_skipped(self):
        for relative in ("train.py", "data/big.csv", "logs/a.log", "keep.log", "src/deep/x.pyc", ".git/HEAD", "notes/readme.md"):
            write(self.root, relative)
        write(self.root, ".gitignore", "*.py\n")
        write(self.root, ".amlignore", "# what stays home\ndata/\n*.log\n!keep.log\n**/*.pyc\n/notes\n")
        self.assertEqual(self.paths(), [".amlignore", ".gitignore", "keep.log", "train.py"])

    def test_gitignore_applies_without_amlignore(self):
        write(self.root, "a.py")
        write(self.root, "b.tmp")
        write(self.root, ".gitignore", "*.tmp\n")
        self.assertEqual(self.paths(), [".gitignore", "a.py"])

    def test_hashes_are_sha256_of_the_content(self):
        write(self.root, "a.txt", "hello")
        (path, _, sha, size), = _snapshots.scan(self.root)
        self.assertEqual((path, sha, size), ("a.txt", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", 5))

    def test_a_folder_over_the_limit_is_refused_before_upload(self):
        write(self.root, "a.bin", "x" * 100)
        with self.assertRaises(ValidationException) as raised:
            _snapshots.scan(self.root, max_bytes=50)
        self.assertIn("snapshot limit of 50 bytes", str(raised.exception))

    def test_a_link_leading_outside_is_refused(self):
        outside = tempfile.mkdtemp()
        write(outside, "secret.txt")
        os.symlink(os.path.join(outside, "secret.txt"), os.path.join(self.root, "link.txt"))
        with self.assertRaises(ValidationException) as raised:
            _snapshots.scan(self.root)
        self.assertIn("'link.txt' is a link leading outside the code folder", str(raised.exception))

    def test_a_missing_folder_is_named(self):
        with self.assertRaises(ValidationException) as raised:
            _snapshots.scan(os.path.join(self.root, "nope"))
        self.assertIn("No such file or folder", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
