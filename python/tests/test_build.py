"""The in-tree build backend writes an installable wheel and an sdist; the package under test is the installed one
when PythonPackageTest runs it (ATELIER_EXPECT_INSTALLED)."""
import importlib.util
import os
import sys
import tarfile
import tempfile
import unittest
import zipfile

import atelier

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def backend():
    spec = importlib.util.spec_from_file_location("atelier_build", os.path.join(ROOT, "_build", "atelier_build.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildTest(unittest.TestCase):
    def test_the_wheel_holds_the_package_and_a_record_of_every_file(self):
        target = tempfile.mkdtemp()
        name = backend().build_wheel(target)
        self.assertEqual(name, "atelier-%s-py3-none-any.whl" % atelier.__version__)
        with zipfile.ZipFile(os.path.join(target, name)) as wheel:
            names = wheel.namelist()
            record = wheel.read("atelier-%s.dist-info/RECORD" % atelier.__version__).decode()
            metadata = wheel.read("atelier-%s.dist-info/METADATA" % atelier.__version__).decode()
        self.assertIn("atelier/__init__.py", names)
        self.assertIn("atelier/dsl.py", names)
        self.assertFalse([n for n in names if n.endswith(".pyc")])
        for file in names:
            self.assertIn(file + ",", record)
        self.assertIn("Requires-Python: >=3.9", metadata)

    def test_the_sdist_holds_what_building_again_needs(self):
        target = tempfile.mkdtemp()
        name = backend().build_sdist(target)
        with tarfile.open(os.path.join(target, name)) as sdist:
            names = sdist.getnames()
        base = name[:-len(".tar.gz")]
        for needed in ("pyproject.toml", "_build/atelier_build.py", "atelier/__init__.py", "PKG-INFO"):
            self.assertIn(base + "/" + needed, names)

    def test_the_package_tested_is_the_installed_one_when_asked(self):
        if not os.environ.get("ATELIER_EXPECT_INSTALLED"):
            self.assertTrue(atelier.__file__.startswith(ROOT) or "site-packages" in atelier.__file__)
            return
        self.assertIn("site-packages", atelier.__file__)
        self.assertTrue(atelier.__file__.startswith(sys.prefix), atelier.__file__)
        self.assertNotEqual(sys.prefix, sys.base_prefix, "runs in a virtual environment")


if __name__ == "__main__":
    unittest.main()
