"""The things of a workspace, with azure-ai-ml's class names and fields.

An entity holds its fields as attributes named as the YAML (and the REST document) names them; what the server
answered is kept in ``_rest`` and its fields are attributes too (``job.status``, ``job.run_id``,
``endpoint.scoring_uri``). ``_document()`` is what is sent: every public attribute that is set, nested entities
rendered (an :class:`Input` as ``{type, path}``, a registered :class:`Environment` as ``azureml:<name>:<version>``).
Not thread-safe (plain data).
"""
import copy

_SERVER_ONLY = {"status", "run_id", "experiment_id", "snapshot_id", "reason", "created_at", "updated_at", "creation_context",
                "provisioning_state", "scoring_uri", "base_uri", "openapi_uri", "steps", "start_time", "end_time", "id",
                "last_modified", "model_version", "error", "deployments", "studio_url", "services", "kind_detail"}


def _render(value):
    if isinstance(value, _Entity):
        return value._reference_or_document()
    if isinstance(value, dict):
        return {str(k): _render(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_render(v) for v in value]
    return value


class _Entity:
    _fields = ()

    def __init__(self, **kwargs):
        self._rest = None
        for field in self._fields:
            setattr(self, field, None)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def _document(self):
        """What is sent. An entity read from the server sends only its own fields (``_fields``), not the rest of
        what the server reported about it, so that it can be changed and sent back."""
        return {key: _render(value) for key, value in self.__dict__.items()
                if not key.startswith("_") and value is not None and key not in _SERVER_ONLY
                and (self._rest is None or key in self._fields)}

    def _reference_or_document(self):
        return self._document()

    @classmethod
    def _from_rest(cls, rest):
        entity = cls.__new__(cls)
        entity._rest = rest
        for field in cls._fields:
            setattr(entity, field, None)
        for key, value in (rest or {}).items():
            if key.isidentifier() and not isinstance(getattr(cls, key, None), property):
                setattr(entity, key, value)
        return entity

    def _to_dict(self):
        """What the server answered, or the document that would be sent."""
        return copy.deepcopy(self._rest) if self._rest is not None else self._document()

    def __repr__(self):
        shown = {k: v for k, v in self.__dict__.items() if not k.startswith("_") and v is not None}
        return "%s(%s)" % (type(self).__name__, ", ".join("%s=%r" % item for item in sorted(shown.items())))


class Input(_Entity):
    """A job or pipeline input (``type`` and ``path``), or a component's input declaration (``type``, ``default``,
    ``optional``, ``min``, ``max``, ``enum``)."""
    _fields = ("type", "path", "mode", "default", "optional", "description", "min", "max", "enum")

    def __init__(self, type="uri_folder", path=None, mode=None, **kwargs):
        super().__init__(type=type, path=path, mode=mode, **kwargs)


class Output(_Entity):
    """A job output: ``type`` (default ``uri_folder``), and ``name``/``version`` to register it as a data asset."""
    _fields = ("type", "path", "mode", "name", "version", "description")

    def __init__(self, type="uri_folder", path=None, mode=None, **kwargs):
        super().__init__(type=type, path=path, mode=mode, **kwargs)


class Data(_Entity):
    """A data asset version: ``type`` is ``uri_file``, ``uri_folder`` or ``mltable`` (Atelier's ``table``); ``path``
    a local file or folder (uploaded) or ``datastore://<store>/<path>``."""
    _fields = ("name", "version", "path", "type", "description", "tags")

    def __init__(self, name=None, version=None, path=None, type="uri_folder", description=None, tags=None, **kwargs):
        super().__init__(name=name, version=version, path=path, type=type, description=description, tags=tags, **kwargs)

    @property
    def id(self):
        return "azureml:%s:%s" % (self.name, self.version)


class Environment(_Entity):
    """An environment: ``image``, or ``python`` with ``requirements``, or ``conda_file``; ``build`` for an image built
    from a folder. Used in a job, a registered one (name and version, nothing else) is referenced by name."""
    _fields = ("name", "version", "kind", "executable", "image", "conda_file", "python", "requirements", "build", "description",
               "tags")

    def _reference_or_document(self):
        if self._rest is not None and self.name and self.version is not None:
            return "azureml:%s:%s" % (self.name, self.version)
        document = self._document()
        if self.name and self.version is not None and not (set(document) - {"name", "version", "description", "tags", "kind"}):
            return "azureml:%s:%s" % (self.name, self.version)
        return document


class BuildContext(_Entity):
    _fields = ("path", "dockerfile_path")


class Model(_Entity):
    """A registered model version; ``path`` is a local folder (uploaded) or ``runs:/...``, ``models:/...``,
    ``mlflow-artifacts:/...``."""
    _fields = ("name", "version", "path", "type", "description", "tags")

    def _reference_or_document(self):
        return "azureml:%s:%s" % (self.name, self.version)

    @property
    def id(self):
        return "azureml:%s:%s" % (self.name, self.version)


class CodeConfiguration(_Entity):
    _fields = ("code", "scoring_script")

    def __init__(self, code=None, scoring_script=None):
        super().__init__(code=code, scoring_script=scoring_script)


class ManagedOnlineEndpoint(_Entity):
    _fields = ("name", "auth_mode", "description", "tags", "traffic", "mirror_traffic")


KubernetesOnlineEndpoint = ManagedOnlineEndpoint


class ManagedOnlineDeployment(_Entity):
    _fields = ("name", "endpoint_name", "model", "code_configuration", "environment", "instance_count", "instance_type",
               "request_settings", "environment_variables", "compute", "data_collector", "description", "tags")


KubernetesOnlineDeployment = ManagedOnlineDeployment


class EndpointAuthKeys(_Entity):
    _fields = ("primary_key", "secondary_key")


class BatchEndpoint(_Entity):
    """A batch endpoint (``defaults.deployment_name`` names the deployment an invocation uses)."""
    _fields = ("name", "description", "auth_mode", "defaults", "tags")


class BatchDeployment(_Entity):
    _fields = ("name", "endpoint_name", "model", "code_configuration", "environment", "compute", "resources", "settings",
               "instance_count", "max_concurrency_per_instance", "mini_batch_size", "output_action", "output_file_name",
               "retry_settings", "error_threshold", "logging_level", "environment_variables", "description", "tags")


ModelBatchDeployment = BatchDeployment


class Compute(_Entity):
    """A compute target: ``type`` is ``local`` or ``kubernetes`` (sent as the server's ``kind``)."""
    _fields = ("name", "type", "description", "max_concurrent_jobs", "kubernetes", "cpu", "memory")

    def _document(self):
        document = super()._document()
        if "type" in document:
            document["kind"] = document.pop("type")
        return document

    @classmethod
    def _from_rest(cls, rest):
        entity = super()._from_rest(rest)
        entity.type = rest.get("kind")
        return entity


class KubernetesCompute(Compute):
    def __init__(self, name=None, namespace=None, **kwargs):
        kubernetes = kwargs.pop("kubernetes", None) or {}
        if namespace:
            kubernetes["namespace"] = namespace
        super().__init__(name=name, type="kubernetes", kubernetes=kubernetes or None, **kwargs)


class Job(_Entity):
    """A job as submitted or as the server reports it (``status``: Queued, Preparing, Running, Completed, Failed,
    Canceled; ``run_id``: its MLflow run)."""
    _fields = ("name", "type", "display_name", "experiment_name", "description", "tags", "compute", "status", "run_id")
    _base_path = None

    @property
    def studio_url(self):
        return (self._rest or {}).get("studio_url")


class CommandJob(Job):
    _fields = Job._fields + ("command", "code", "environment", "inputs", "outputs", "environment_variables", "limits",
                             "resources", "distribution")

    def __call__(self, **inputs):
        """In a ``@pipeline`` function: a step that runs this command with these inputs. Elsewhere: a copy of this job
        with these inputs (such as distributions to :meth:`sweep` over)."""
        from .dsl import _in_pipeline, _node_for
        if _in_pipeline():
            return _node_for(self, inputs)
        job = copy.copy(self)
        job.inputs = dict(self.inputs or {}, **inputs)
        return job

    def sweep(self, *, primary_metric=None, goal=None, sampling_algorithm="random", compute=None, max_total_trials=None,
              max_concurrent_trials=None, timeout=None, trial_timeout=None, early_termination_policy=None,
              search_space=None, **kwargs):
        """A sweep job over the inputs that hold distributions (atelier.sweep's Choice, Uniform, ...)."""
        from .sweep import sweep_of
        return sweep_of(self, primary_metric, goal, sampling_algorithm, compute, max_total_trials, max_concurrent_trials,
                        timeout, trial_timeout, early_termination_policy, search_space)


Command = CommandJob


class SweepJob(Job):
    _fields = Job._fields + ("trial", "search_space", "sampling_algorithm", "objective", "limits", "early_termination", "inputs",
                             "outputs")

    def set_limits(self, *, max_total_trials=None, max_concurrent_trials=None, timeout=None, trial_timeout=None):
        for key, value in (("max_total_trials", max_total_trials), ("max_concurrent_trials", max_concurrent_trials),
                           ("timeout", timeout), ("trial_timeout", trial_timeout)):
            if value is not None:
                self.limits = dict(self.limits or {}, **{key: value})


class PipelineJob(Job):
    _fields = Job._fields + ("inputs", "outputs", "settings", "jobs")


class CommandComponent(_Entity):
    """A command component (``load_component``, or ``ml_client.components.get``); calling it in a ``@pipeline``
    function makes a step."""
    _fields = ("name", "version", "display_name", "description", "tags", "command", "code", "environment", "inputs",
               "outputs", "is_deterministic", "type")
    _base_path = None

    def __call__(self, **inputs):
        from .dsl import _node_for
        return _node_for(self, inputs)

    @classmethod
    def _from_rest(cls, rest):
        """The server's component: its registered document's fields (command, code, inputs, ...) and its own."""
        entity = super()._from_rest(rest)
        for key, value in (rest or {}).get("document", {}).items():
            if key.isidentifier() and getattr(entity, key, None) is None:
                setattr(entity, key, value)
        return entity

    @property
    def id(self):
        return "azureml:%s:%s" % (self.name, self.version)


Component = CommandComponent


def job_from_rest(rest):
    kind = {"command": CommandJob, "sweep": SweepJob, "pipeline": PipelineJob}.get((rest or {}).get("type"), Job)
    return kind._from_rest(rest)


def job_from_document(document, base_path):
    """A job entity holding a YAML document's fields as they are (``load_job``)."""
    kind = {"command": CommandJob, "sweep": SweepJob, "pipeline": PipelineJob}.get(document.get("type", "command"), Job)
    entity = kind()
    for key, value in document.items():
        if key != "$schema":
            setattr(entity, key, value)
    entity._base_path = base_path
    return entity
