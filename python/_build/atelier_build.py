"""A PEP 517 build backend for the ``atelier`` package, standard library only.

It writes the wheel (pure Python, ``py3-none-any``) and the sdist with :mod:`zipfile` and :mod:`tarfile`,
so ``pip install --no-index ./python`` needs neither setuptools nor an index. The name, version, summary and
Python requirement are read from ``pyproject.toml`` (with :mod:`tomllib` where it exists, else a few lines of
parsing: the file is ours and simple). Editable installs are not offered.
"""
import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "atelier"


def _project():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        text = handle.read().decode("utf-8")
    try:
        import tomllib
        return tomllib.loads(text)["project"]
    except ImportError:
        section = text.split("[project]", 1)[1].split("\n[", 1)[0]
        project = {}
        for key in ("name", "version", "description", "requires-python"):
            match = re.search(r'^%s\s*=\s*"([^"]*)"' % re.escape(key), section, re.M)
            if match:
                project[key] = match.group(1)
        return project


def _metadata():
    project = _project()
    lines = [
        "Metadata-Version: 2.1",
        "Name: %s" % project["name"],
        "Version: %s" % project["version"],
        "Summary: %s" % project.get("description", ""),
        "Requires-Python: %s" % project.get("requires-python", ">=3.9"),
        "License: Apache-2.0",
        "Provides-Extra: mlflow",
        'Requires-Dist: mlflow; extra == "mlflow"',
    ]
    readme = os.path.join(ROOT, "README.md")
    if os.path.isfile(readme):
        lines.append("Description-Content-Type: text/markdown")
        with open(readme, encoding="utf-8") as handle:
            return "\n".join(lines) + "\n\n" + handle.read()
    return "\n".join(lines) + "\n"


def _dist_info(project):
    return "%s-%s.dist-info" % (project["name"].replace("-", "_"), project["version"])


def _package_files():
    base = os.path.join(ROOT, PACKAGE)
    for folder, folders, files in os.walk(base):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(folder, name)
            yield path, os.path.relpath(path, ROOT).replace(os.sep, "/")


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d" % (name, digest, len(data))


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    project = _project()
    info = os.path.join(metadata_directory, _dist_info(project))
    os.makedirs(info, exist_ok=True)
    with open(os.path.join(info, "METADATA"), "w", encoding="utf-8") as handle:
        handle.write(_metadata())
    return os.path.basename(info)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    name = project["name"].replace("-", "_")
    filename = "%s-%s-py3-none-any.whl" % (name, project["version"])
    info = _dist_info(project)
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as wheel:
        def add(arcname, data):
            wheel.writestr(arcname, data)
            records.append(_record_line(arcname, data))

        for path, arcname in _package_files():
            with open(path, "rb") as handle:
                add(arcname, handle.read())
        add(info + "/METADATA", _metadata().encode("utf-8"))
        add(info + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: atelier_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        records.append(info + "/RECORD,,")
        wheel.writestr(info + "/RECORD", "\n".join(records) + "\n")
    return filename


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    base = "%s-%s" % (project["name"].replace("-", "_"), project["version"])
    filename = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz", format=tarfile.PAX_FORMAT) as sdist:
        def add(arcname, data):
            entry = tarfile.TarInfo(base + "/" + arcname)
            entry.size = len(data)
            entry.mode = 0o644
            sdist.addfile(entry, io.BytesIO(data))

        for path, arcname in _package_files():
            with open(path, "rb") as handle:
                add(arcname, handle.read())
        for extra in ("pyproject.toml", "README.md", "_build/atelier_build.py"):
            path = os.path.join(ROOT, extra)
            if os.path.isfile(path):
                with open(path, "rb") as handle:
                    add(extra, handle.read())
        add("PKG-INFO", _metadata().encode("utf-8"))
    return filename
