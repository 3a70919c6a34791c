"""Code snapshots (``/api/v1/snapshots``), uploaded exactly as the CLI and the Java SDK do (SnapshotClient).

A folder's files are listed (``.git`` skipped, and the patterns of ``.amlignore``, or else ``.gitignore``, at
its root), each hashed with SHA-256. The manifest goes first (``snapshots/missing-blobs``: the server checks
paths and its size limit and answers which contents it lacks), then only the missing blobs (small files in
batches framed ``<sha256> <size>\\n<bytes>``, large ones one PUT each, four requests at a time), then the manifest
again to create the snapshot. Contents the server holds already are never sent again. A folder over
:data:`MAX_BYTES` is refused before anything is hashed; a symbolic link leading outside the folder is refused.
"""
import concurrent.futures
import hashlib
import os
import re

from ._http import quote
from .exceptions import ValidationException

MAX_BYTES = 1 << 30
PARALLEL_UPLOADS = 4
BATCH_FILE_BYTES = 256 * 1024
BATCH_BYTES = 4 * 1024 * 1024
BATCH_FILES = 500


class IgnoreRules:
    """The gitignore subset Azure ML applies: ``#`` comments, ``!`` re-includes, a trailing ``/`` for folders
    only, a leading or inner ``/`` anchors at the root, ``*`` and ``?`` within a segment, ``**`` across them;
    the last matching pattern wins."""

    def __init__(self, lines):
        self.rules = []
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            if negated:
                line = line[1:]
            folders_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            line = line.lstrip("/")
            if line:
                self.rules.append((re.compile(("" if anchored else "(?:.*/)?") + _glob(line) + r"\Z"), negated, folders_only))

    def ignored(self, path, folder):
        result = False
        for pattern, negated, folders_only in self.rules:
            if (not folders_only or folder) and pattern.match(path):
                result = not negated
        return result


def _glob(pattern):
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*" and i + 1 < len(pattern) and pattern[i + 1] == "*":
            slash = i + 2 < len(pattern) and pattern[i + 2] == "/"
            out.append("(?:.*/)?" if slash else ".*")
            i += 3 if slash else 2
            continue
        out.append("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c))
        i += 1
    return "".join(out)


def _ignore_lines(base):
    for name in (".amlignore", ".gitignore"):
        path = os.path.join(base, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as handle:
                return handle.read().splitlines()
    return []


def scan(root, max_bytes=MAX_BYTES):
    """``[(path in the snapshot, file on disk, sha256, size)]`` sorted by path; a single file is named by its name."""
    base = os.path.abspath(root)
    if os.path.isfile(base):
        return [_hash(os.path.basename(base), base)]
    if not os.path.isdir(base):
        raise ValidationException("No such file or folder: %s" % root)
    real_root = os.path.realpath(base)
    rules = IgnoreRules(_ignore_lines(base))
    found = []
    total = 0
    for folder, folders, files in os.walk(base, followlinks=True):
        relative_folder = os.path.relpath(folder, base).replace(os.sep, "/")
        prefix = "" if relative_folder == "." else relative_folder + "/"
        kept = []
        for name in sorted(folders):
            relative = prefix + name
            _confine(real_root, os.path.join(folder, name), relative)
            if name != ".git" and not rules.ignored(relative, True):
                kept.append(name)
        folders[:] = kept
        for name in sorted(files):
            relative = prefix + name
            path = os.path.join(folder, name)
            _confine(real_root, path, relative)
            if not os.path.isfile(path) or rules.ignored(relative, False):
                continue
            total += os.path.getsize(path)
            if total > max_bytes:
                raise ValidationException("The code folder %s holds more than the snapshot limit of %d bytes: add large files "
                                          "to .amlignore (or .gitignore)" % (root, max_bytes))
            found.append((relative, path))
    return sorted((_hash(relative, path) for relative, path in found), key=lambda entry: entry[0])


def _confine(real_root, path, relative):
    real = os.path.realpath(path)
    if real != real_root and not real.startswith(real_root + os.sep):
        raise ValidationException("'%s' is a link leading outside the code folder; nothing may escape the snapshot" % relative)


def _hash(relative, path):
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(128 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
    return relative, path, digest.hexdigest(), size


class Snapshots:
    def __init__(self, transport, paths):
        self.transport = transport
        self.paths = paths

    def upload(self, folder_or_file, max_bytes=MAX_BYTES):
        """Uploads a folder (or one file) and returns the snapshot's id."""
        files = scan(folder_or_file, max_bytes)
        manifest = {"files": [{"path": path, "sha256": sha, "size": size} for path, _, sha, size in files]}
        missing = set(self.transport.post(self.paths("snapshots/missing-blobs"), manifest).get("missing", []))
        to_send = []
        for entry in files:
            if entry[2] in missing:
                missing.discard(entry[2])
                to_send.append(entry)
        self._send_all(to_send)
        return self.transport.post(self.paths("snapshots"), manifest)["snapshot_id"]

    def _send_all(self, files):
        tasks = []
        batch, batch_bytes = [], 0
        for entry in files:
            if entry[3] > BATCH_FILE_BYTES:
                tasks.append((self._send_one, entry))
                continue
            batch.append(entry)
            batch_bytes += entry[3]
            if batch_bytes >= BATCH_BYTES or len(batch) >= BATCH_FILES:
                tasks.append((self._send_batch, batch))
                batch, batch_bytes = [], 0
        if batch:
            tasks.append((self._send_batch, batch))
        if not tasks:
            return
        with concurrent.futures.ThreadPoolExecutor(max_workers=PARALLEL_UPLOADS) as pool:
            for future in [pool.submit(function, argument) for function, argument in tasks]:
                future.result()

    def _send_one(self, entry):
        _, path, sha, size = entry
        with open(path, "rb") as handle:
            data = handle.read()
        if len(data) != size:
            raise ValidationException("%s changed while it was being uploaded" % path)
        self.transport.send_bytes("PUT", self.paths("snapshots/blobs/" + quote(sha)), data)

    def _send_batch(self, entries):
        body = bytearray()
        for _, path, sha, size in entries:
            with open(path, "rb") as handle:
                data = handle.read()
            if len(data) != size:
                raise ValidationException("%s changed while it was being uploaded" % path)
            body += ("%s %d\n" % (sha, size)).encode("ascii")
            body += data
        self.transport.send_bytes("POST", self.paths("snapshots/blob-batch"), bytes(body))
