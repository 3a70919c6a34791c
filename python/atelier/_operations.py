"""The operation groups of :class:`atelier.MLClient` for jobs, data, environments, components, models and compute,
each making the REST calls the CLI and the Java SDK make (docs/python.md lists them). Thread-safe as the
transport is; entities they return are plain data.
"""
import os
import re
import sys
import time

from . import _documents, _yaml
from ._http import quote, quote_path
from ._polling import DonePoller, LROPoller
from .entities import (CommandComponent, Compute, Data, Environment, Job, Model, PipelineJob, _render, job_from_rest)
from .exceptions import (AtelierError, HttpResponseError, JobException, ResourceNotFoundError, ServiceRequestError,
                         ValidationException)

ENDED = ("Completed", "Failed", "Canceled", "NotResponding")
LOG_POLL_SECONDS = 1.0
CHUNK_BYTES = 8 * 1024 * 1024
UPLOAD_ATTEMPTS = 5


class _Operations:
    def __init__(self, client):
        self._client = client
        self._transport = client._transport
        self._native = client._native_path
        self._mlflow = client._mlflow_path


def _version_path(kind, name, version=None, label=None):
    if version is not None and label is not None:
        raise ValidationException("Give version or label, not both")
    if version is None and label is None:
        label = "latest"
    if label is not None and label != "latest":
        raise ValidationException("The only label is 'latest', got '%s'" % label)
    return "%s/%s/versions/%s" % (kind, quote(name), quote(version if version is not None else "latest"))


class JobOperations(_Operations):
    """``/api/v1/jobs``: submit (code and local inputs uploaded first), get, list, stream, cancel, download."""

    def create_or_update(self, job, *, name=None, description=None, compute=None, tags=None, experiment_name=None,
                         skip_validation=False, **kwargs):
        if not isinstance(job, Job):
            raise ValidationException("Expected a job (command(...), load_job(...), or a @pipeline function's result), got %r"
                                      % (job,))
        document = job._document()
        for field, value in (("name", name), ("description", description), ("compute", compute), ("tags", tags),
                             ("experiment_name", experiment_name)):
            if value is not None:
                document[field] = value
        document.setdefault("type", "pipeline" if isinstance(job, PipelineJob) else "command")
        base = job._base_path or os.getcwd()
        _documents.prepare_job(document, base, self._client._snapshots)
        return job_from_rest(self._transport.post(self._native("jobs"), document))

    def get(self, name):
        return job_from_rest(self._transport.get(self._native("jobs/" + quote(name))))

    def list(self, parent_job_name=None, max_results=100, **kwargs):
        query = "jobs?max_results=%d" % max_results
        if parent_job_name:
            query += "&parent_job=" + quote(parent_job_name)
        return [job_from_rest(item) for item in self._transport.get(self._native(query)).get("jobs", [])]

    def begin_cancel(self, name):
        self._transport.post(self._native("jobs/%s/cancel" % quote(name)))
        return LROPoller(lambda: self._transport.get(self._native("jobs/" + quote(name))),
                         lambda state: state.get("status") in ENDED, job_from_rest)

    def cancel(self, name):
        return self.begin_cancel(name).result()

    def logs(self, name, after=0):
        """One page of a job's log after line ``after``: ``{"lines": [{seq, stream, time, line}], "last_seq", "ended"}``."""
        return self._transport.get(self._native("jobs/%s/logs?after=%d" % (quote(name), after)))

    def stream(self, name, *, out=None):
        """Prints the job's log (stdout, stderr and Atelier's own lines) until it ends, as ``atelier job logs -f`` does,
        then its status; raises :class:`JobException` when it did not complete. Returns the ended job."""
        out = out or sys.stdout
        after = 0
        while True:
            page = self.logs(name, after)
            lines = page.get("lines", [])
            for line in lines:
                out.write(line.get("line", "") + "\n")
            out.flush()
            after = page.get("last_seq", after)
            if lines:
                continue
            if page.get("ended"):
                break
            time.sleep(LOG_POLL_SECONDS)
        job = self.get(name)
        reason = ": %s" % job.reason if getattr(job, "reason", None) else ""
        out.write("Job '%s' ended %s%s (run %s).\n" % (job.name, job.status, reason, job.run_id))
        out.flush()
        if job.status != "Completed":
            raise JobException("Job '%s' ended %s%s" % (name, job.status, reason), error_code=job.status)
        return job

    def download(self, name, *, download_path=".", output_name=None, all=False):
        """Downloads the artifacts of the job's run (outputs and logs) under ``download_path``; ``output_name`` only
        that output's folder. Returns the number of files written."""
        job = self.get(name)
        run = self._transport.get(self._mlflow("runs/get?run_id=" + quote(job.run_id)))["run"]["info"]
        root = artifact_root(run["artifact_uri"])
        start = ("outputs/" + output_name) if output_name else ""
        return self._client._artifacts.download_folder(job.run_id, root, start, os.path.abspath(download_path))


def artifact_root(uri):
    """The path under the artifact proxy of an ``mlflow-artifacts:`` URI (its host part, if any, dropped)."""
    return re.sub(r"^mlflow-artifacts:(//[^/]*)?/*", "", uri)


class ArtifactDownloads:
    """Run artifacts through MLflow's artifact listing and proxy."""

    def __init__(self, client):
        self._client = client

    def download_folder(self, run_id, root, folder, target):
        transport = self._client._transport
        count = 0
        query = "artifacts/list?run_id=" + quote(run_id) + ("&path=" + quote(folder) if folder else "")
        for entry in transport.get(self._client._mlflow_path(query)).get("files", []):
            path = entry["path"]
            local = os.path.normpath(os.path.join(target, path))
            if not (local + os.sep).startswith(os.path.normpath(target) + os.sep):
                raise AtelierError("The server listed an artifact outside the run: " + path)
            if entry.get("is_dir"):
                count += self.download_folder(run_id, root, path, target)
            else:
                self.download_file(self._client._artifact_path(root + "/" + path), local)
                count += 1
        return count

    def download_file(self, url_path, local):
        os.makedirs(os.path.dirname(local), exist_ok=True)
        with self._client._transport.open_stream(url_path) as answer, open(local + ".partial", "wb") as out:
            for chunk in iter(lambda: answer.read(1 << 20), b""):
                out.write(chunk)
        os.replace(local + ".partial", local)


class DataOperations(_Operations):
    """``/api/v1/data`` and resumable uploads through ``/api/v1/data-uploads``."""

    def create_or_update(self, data):
        if not isinstance(data, Data) or not data.name:
            raise ValidationException("Expected Data(name=..., path=..., type=...)")
        if not data.path:
            raise ValidationException("Data '%s' has no path: give a local file or folder, or datastore://<store>/<path>" % data.name)
        kind = {"mltable": "table"}.get(data.type or "uri_folder", data.type or "uri_folder")
        body = {"name": data.name, "type": kind}
        path = str(data.path)
        if _documents.is_remote(path):
            body["path"] = path
        else:
            body["upload_id"] = self.upload(path)
        if data.description:
            body["description"] = data.description
        if data.tags:
            body["tags"] = dict(data.tags)
        if data.version is not None:
            body["version"] = str(data.version)
        return Data._from_rest(self._transport.post(self._native("data"), body))

    def upload(self, local, upload_id=None):
        """Uploads a local file or folder into an upload session (a new one unless ``upload_id`` names one to resume) and
        returns the session's id. Each file goes up in 8 MiB chunks at their offsets; after a failure (up to
        :data:`UPLOAD_ATTEMPTS`) the session's state is read back and the upload goes on where the server's copy ends,
        which makes it safe to repeat (a chunk PUT at an offset is idempotent)."""
        if not os.path.exists(local):
            raise ValidationException("No such file or folder: %s" % local)
        files = _local_files(local)
        if upload_id is None:
            total = sum(os.path.getsize(path) for _, path in files)
            upload_id = self._transport.post(self._native("data-uploads"), {"size_bytes": total})["upload_id"]
        for attempt in range(UPLOAD_ATTEMPTS):
            try:
                self._send(upload_id, files)
                return upload_id
            except (ServiceRequestError, HttpResponseError) as e:
                if isinstance(e, HttpResponseError) and (e.status_code or 0) < 500 or attempt == UPLOAD_ATTEMPTS - 1:
                    raise
                time.sleep(min(2 ** attempt, 10))
        return upload_id

    def _send(self, upload_id, files):
        session = self._native("data-uploads/" + quote(upload_id))
        held = {entry["path"]: entry.get("size_bytes", 0) for entry in self._transport.get(session).get("files", [])}
        for relative, path in files:
            offset = held.get(relative, 0)
            size = os.path.getsize(path)
            if size == 0 and relative not in held:
                self._transport.send_bytes("PUT", "%s/files/%s?offset=0" % (session, quote_path(relative)), b"")
                continue
            with open(path, "rb") as handle:
                handle.seek(offset)
                while offset < size:
                    chunk = handle.read(CHUNK_BYTES)
                    if not chunk:
                        break
                    self._transport.send_bytes("PUT", "%s/files/%s?offset=%d" % (session, quote_path(relative), offset), chunk)
                    offset += len(chunk)

    def get(self, name, version=None, label=None):
        return Data._from_rest(self._transport.get(self._native(_version_path("data", name, version, label))))

    def list(self, name=None, include_archived=False):
        if name:
            return [Data._from_rest(item) for item in self._transport.get(self._native("data/%s/versions" % quote(name))).get("versions", [])]
        query = "data" + ("?include_archived=true" if include_archived else "")
        return [Data._from_rest(item) for item in self._transport.get(self._native(query)).get("data", [])]

    def archive(self, name, version=None, label=None):
        self._transport.post(self._native(_version_path("data", name, version, label) + "/archive"))

    def restore(self, name, version=None, label=None):
        self._transport.post(self._native(_version_path("data", name, version, label) + "/restore"))

    def download(self, name, download_path=".", version=None, label=None):
        """Downloads every file of a version under ``download_path``; returns the paths written."""
        base = self._native(_version_path("data", name, version, label))
        written = []
        for entry in self._transport.get(base + "/files").get("files", []):
            relative = entry["path"]
            local = os.path.normpath(os.path.join(download_path, relative))
            if not (local + os.sep).startswith(os.path.normpath(download_path) + os.sep):
                raise AtelierError("The server named a file outside the target folder: " + relative)
            self._client._artifacts.download_file(base + "/files/" + quote_path(relative), local)
            written.append(local)
        return written


def _local_files(local):
    if os.path.isfile(local):
        return [(os.path.basename(local), local)]
    found = []
    for folder, folders, files in os.walk(local):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                found.append((os.path.relpath(path, local).replace(os.sep, "/"), path))
    return found


class EnvironmentOperations(_Operations):
    """``/api/v1/environments``: versions of python, conda and image environments."""

    def create_or_update(self, environment):
        document = _render(environment._document()) if isinstance(environment, Environment) else dict(environment)
        base = getattr(environment, "_base_path", None) or os.getcwd()
        _documents.read_environment_files(document, base, "")
        _documents.upload_build(document, base, self._client._snapshots, "")
        if document.get("version") is not None:
            document["version"] = str(document["version"])
        return Environment._from_rest(self._transport.post(self._native("environments"), document))

    def get(self, name, version=None, label=None):
        path = "environments/" + quote(name) + ("/versions/" + quote(version) if version is not None else "")
        if label not in (None, "latest"):
            raise ValidationException("The only label is 'latest', got '%s'" % label)
        return Environment._from_rest(self._transport.get(self._native(path)))

    def list(self, name=None):
        path = "environments/%s/versions" % quote(name) if name else "environments"
        return [Environment._from_rest(item) for item in self._transport.get(self._native(path)).get("environments", [])]


class ComponentOperations(_Operations):
    """``/api/v1/components``: register (code uploaded first), get, list, archive, restore."""

    def create_or_update(self, component, version=None):
        if not isinstance(component, CommandComponent):
            raise ValidationException("Expected a component (load_component(...)), got %r" % (component,))
        document = component._document()
        if version is not None:
            document["version"] = str(version)
        elif document.get("version") is not None:
            document["version"] = str(document["version"])
        _documents.prepare_component(document, component._base_path or os.getcwd(), self._client._snapshots)
        return CommandComponent._from_rest(self._transport.post(self._native("components"), document))

    def get(self, name, version=None, label=None):
        if label not in (None, "latest"):
            raise ValidationException("The only label is 'latest', got '%s'" % label)
        path = "components/" + quote(name) + ("/versions/" + quote(version) if version is not None else "")
        return CommandComponent._from_rest(self._transport.get(self._native(path)))

    def list(self, name=None, include_archived=False):
        path = "components/%s/versions" % quote(name) if name else "components" + ("?include_archived=true" if include_archived else "")
        return [CommandComponent._from_rest(item) for item in self._transport.get(self._native(path)).get("components", [])]

    def archive(self, name, version=None):
        self._transport.post(self._native("components/%s/archive" % quote(name)), {} if version is None else {"version": str(version)})

    def restore(self, name, version=None):
        self._transport.post(self._native("components/%s/restore" % quote(name)), {} if version is None else {"version": str(version)})


class ModelOperations(_Operations):
    """The model registry: MLflow's registry routes to register, the native ``/api/v1/models`` routes to read."""

    def create_or_update(self, model, *, timeout=300):
        if not isinstance(model, Model) or not model.name or not model.path:
            raise ValidationException("Expected Model(name=..., path=...)")
        source = str(model.path)
        run_id = None
        if not _documents.is_remote(source):
            run_id, source = self._upload(source, model.name)
        try:
            self._transport.post(self._mlflow("registered-models/create"), {"name": model.name})
        except HttpResponseError as e:
            if e.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
        body = {"name": model.name, "source": source}
        if run_id:
            body["run_id"] = run_id
        if model.description:
            body["description"] = model.description
        if model.tags:
            body["tags"] = [{"key": k, "value": str(v)} for k, v in model.tags.items()]
        version = self._transport.post(self._mlflow("model-versions/create"), body)["model_version"]
        deadline = time.monotonic() + timeout
        while version.get("status") == "PENDING_REGISTRATION" and time.monotonic() < deadline:
            time.sleep(0.5)
            version = self._transport.get(self._mlflow("model-versions/get?name=%s&version=%s" % (quote(model.name),
                                                                                                   quote(version["version"]))))["model_version"]
        return Model._from_rest(version)

    def _upload(self, local, name):
        """Logs a local model folder (or file) to a new run of the experiment ``atelier-model-uploads``; answers the run
        and the ``runs:/`` source to register."""
        if not os.path.exists(local):
            raise ValidationException("Invalid value for 'path': %s is neither a file nor a folder" % local)
        experiment = "atelier-model-uploads"
        try:
            experiment_id = self._transport.get(self._mlflow("experiments/get-by-name?experiment_name=" + quote(experiment)))[
                "experiment"]["experiment_id"]
        except ResourceNotFoundError:
            experiment_id = self._transport.post(self._mlflow("experiments/create"), {"name": experiment})["experiment_id"]
        run = self._transport.post(self._mlflow("runs/create"), {"experiment_id": experiment_id, "run_name": "upload-" + name,
                                                                 "start_time": int(time.time() * 1000)})["run"]["info"]
        root = artifact_root(run["artifact_uri"])
        for relative, path in _local_files(local):
            with open(path, "rb") as handle:
                self._transport.send_bytes("PUT", self._client._artifact_path(root + "/model/" + relative), handle.read())
        self._transport.post(self._mlflow("runs/update"), {"run_id": run["run_id"], "status": "FINISHED",
                                                           "end_time": int(time.time() * 1000)})
        return run["run_id"], "runs:/%s/model" % run["run_id"]

    def get(self, name, version=None, label=None):
        if version is not None and label is not None:
            raise ValidationException("Give version or label, not both")
        uri = "models:/%s/%s" % (name, version) if version is not None else "models:/%s/%s" % (name, label or "latest") \
            if label in (None, "latest") else "models:/%s@%s" % (name, label)
        answer = self._transport.get(self._native("model-versions/resolve?uri=" + quote(uri)))
        return Model._from_rest(answer.get("model_version", answer))

    def list(self, name=None):
        if name:
            answer = self._transport.get(self._native("models/%s/versions" % quote(name)))
            return [Model._from_rest(item) for item in answer.get("model_versions", [])]
        models, token = [], None
        while True:
            answer = self._transport.get(self._native("models?max_results=100" + ("&page_token=" + quote(token) if token else "")))
            models.extend(Model._from_rest(item) for item in answer.get("registered_models", []))
            token = answer.get("next_page_token")
            if not token:
                return models


class ComputeOperations(_Operations):
    """``/api/v1/computes``: compute targets (``local``, ``kubernetes``)."""

    def begin_create_or_update(self, compute):
        document = compute._document()
        name = document.get("name")
        if not name:
            raise ValidationException("The compute has no name")
        try:
            self.get(name)
        except ResourceNotFoundError:
            return DonePoller(Compute._from_rest(self._transport.post(self._native("computes"), document)))
        changes = {k: v for k, v in document.items() if k not in ("name", "kind")}
        return DonePoller(Compute._from_rest(self._transport.patch(self._native("computes/" + quote(name)), changes)))

    def create_or_update(self, compute):
        return self.begin_create_or_update(compute).result()

    def get(self, name):
        return Compute._from_rest(self._transport.get(self._native("computes/" + quote(name))))

    def list(self):
        return [Compute._from_rest(item) for item in self._transport.get(self._native("computes")).get("computes", [])]

    def begin_delete(self, name):
        self._transport.delete(self._native("computes/" + quote(name)))
        return DonePoller(None)


def load_document(source):
    """A YAML file (path) or an open stream's text, parsed; the folder its relative paths are relative to."""
    if hasattr(source, "read"):
        return _yaml.loads(source.read()), os.getcwd()
    document = _yaml.load_file(str(source))
    return document, os.path.dirname(os.path.abspath(str(source)))
