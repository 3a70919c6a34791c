"""Atelier's Python package: jobs, data, environments, components, models, compute, pipelines and endpoints of an
Atelier workspace, with azure-ai-ml's names (docs/python.md). Standard library only.

    from atelier import MLClient, command, Input
    ml_client = MLClient()                      # ATELIER_URL, ATELIER_TOKEN, ... as the CLI finds them
    job = ml_client.jobs.create_or_update(command(code="./src", command="python train.py", compute="local"))
    ml_client.jobs.stream(job.name)
"""
import os

from ._http import DEFAULT_URL, Transport, quote, resolve_credentials, Credentials, normalize_url
from ._operations import (ArtifactDownloads, ComponentOperations, ComputeOperations, DataOperations,
                          EnvironmentOperations, JobOperations, ModelOperations, load_document)
from ._serving import (BatchDeploymentOperations, BatchEndpointOperations, OnlineDeploymentOperations,
                       OnlineEndpointOperations)
from ._snapshots import Snapshots
from .entities import (BatchDeployment, BatchEndpoint, CommandComponent, CommandJob, Data, Environment, Input,
                       ManagedOnlineDeployment, ManagedOnlineEndpoint, Model, Output, job_from_document)
from .exceptions import (AtelierError, ClientAuthenticationError, HttpResponseError, JobException,
                         ResourceExistsError, ResourceNotFoundError, ServiceRequestError, ValidationException)

__version__ = "0.1.0"


class MLClient:
    """A client of one Atelier server, working in one workspace.

    ``url`` defaults to ``ATELIER_URL``, else ``http://127.0.0.1:5000``. Credentials: ``token`` (or ``username`` and
    ``password``) when given, else ``ATELIER_TOKEN``, ``ATELIER_USERNAME``/``ATELIER_PASSWORD``, then the token
    ``atelier login`` stored for the URL. ``workspace_name`` is accepted for azure-ai-ml's keyword; a first
    positional argument that is not a string (azure-ai-ml's ``credential``) is ignored. Nothing is sent until the
    first call.
    """

    def __init__(self, url=None, workspace=None, token=None, *, username=None, password=None, workspace_name=None,
                 **azure_arguments):
        if url is not None and not isinstance(url, str):
            url = None  # azure-ai-ml's MLClient(credential, subscription_id, ...): the credential has no use here
        self.url = normalize_url(url or os.environ.get("ATELIER_URL") or DEFAULT_URL)
        self.workspace_name = workspace or workspace_name or os.environ.get("ATELIER_WORKSPACE") or "default"
        if token:
            credentials = Credentials.token(token)
        elif username:
            credentials = Credentials.basic(username, password or "")
        else:
            credentials = resolve_credentials(self.url)
        self._transport = Transport(self.url, credentials)
        self._snapshots = Snapshots(self._transport, self._native_path)
        self._artifacts = ArtifactDownloads(self)
        self.jobs = JobOperations(self)
        self.data = DataOperations(self)
        self.environments = EnvironmentOperations(self)
        self.components = ComponentOperations(self)
        self.models = ModelOperations(self)
        self.compute = ComputeOperations(self)
        self.online_endpoints = OnlineEndpointOperations(self)
        self.online_deployments = OnlineDeploymentOperations(self)
        self.batch_endpoints = BatchEndpointOperations(self)
        self.batch_deployments = BatchDeploymentOperations(self)

    def __repr__(self):
        return "MLClient(url=%r, workspace=%r)" % (self.url, self.workspace_name)

    @property
    def tracking_uri(self):
        """The URI to give MLflow (``mlflow.set_tracking_uri``) for this workspace."""
        return self.url + self._workspace_prefix()

    def begin_create_or_update(self, entity):
        """Creates or updates any entity, choosing its operation group by its type (as azure-ai-ml's ``MLClient`` does)."""
        from ._polling import DonePoller
        if isinstance(entity, ManagedOnlineEndpoint):
            return self.online_endpoints.begin_create_or_update(entity)
        if isinstance(entity, ManagedOnlineDeployment):
            return self.online_deployments.begin_create_or_update(entity)
        if isinstance(entity, BatchEndpoint):
            return self.batch_endpoints.begin_create_or_update(entity)
        if isinstance(entity, BatchDeployment):
            return self.batch_deployments.begin_create_or_update(entity)
        return DonePoller(self.create_or_update(entity))

    def create_or_update(self, entity):
        from .entities import Compute, Job
        for kind, operations in ((Job, self.jobs), (Data, self.data), (Environment, self.environments),
                                 (CommandComponent, self.components), (Model, self.models), (Compute, self.compute)):
            if isinstance(entity, kind):
                return operations.create_or_update(entity)
        raise ValidationException("Cannot create %r" % (entity,))

    def _workspace_prefix(self):
        return "" if self.workspace_name == "default" else "/w/" + quote(self.workspace_name)

    def _native_path(self, path):
        return self._workspace_prefix() + "/api/v1/" + path

    def _mlflow_path(self, path):
        return self._workspace_prefix() + "/api/2.0/mlflow/" + path

    def _artifact_path(self, path):
        return self._workspace_prefix() + "/api/2.0/mlflow-artifacts/artifacts/" + "/".join(quote(p) for p in path.split("/"))


def command(*, command=None, code=None, inputs=None, outputs=None, environment=None, compute=None, name=None,
            display_name=None, description=None, tags=None, experiment_name=None, environment_variables=None,
            limits=None, timeout=None, resources=None, distribution=None, instance_count=None, **kwargs):
    """A command job (azure-ai-ml's ``command()``): submit it with ``ml_client.jobs.create_or_update``, or call it inside a
    ``@pipeline`` function to make a step. ``code`` is relative to the working folder at the time of this call."""
    if not command:
        raise ValidationException("command() needs command=")
    if timeout is not None:
        limits = dict(limits or {}, timeout=timeout)
    if instance_count is not None:
        resources = dict(resources or {}, instance_count=instance_count)
    job = CommandJob(type="command", command=command, code=code, inputs=inputs, outputs=outputs, environment=environment,
                     compute=compute, name=name, display_name=display_name, description=description, tags=tags,
                     experiment_name=experiment_name, environment_variables=environment_variables, limits=limits,
                     resources=resources, distribution=distribution)
    job._base_path = os.getcwd()
    return job


def load_job(source, *, params_override=None, **kwargs):
    """A job (command, sweep or pipeline) from the CLI's YAML; its relative paths are relative to the file."""
    document, base = load_document(source)
    if not isinstance(document, dict):
        raise ValidationException("The job file must be a YAML mapping of fields (type, command, ...)")
    for override in params_override or []:
        document.update(override)
    return job_from_document(document, base)


def load_component(source, **kwargs):
    """A command component from its YAML; call it inside a ``@pipeline`` function, or register it with
    ``ml_client.components.create_or_update``."""
    document, base = load_document(source)
    if not isinstance(document, dict):
        raise ValidationException("The component file must be a YAML mapping of fields (name, command, inputs, ...)")
    component = CommandComponent(**{k: v for k, v in document.items() if k != "$schema" and k.isidentifier()})
    component._base_path = base
    return component


def _loader(kind, what):
    def load(source, **kwargs):
        document, base = load_document(source)
        if not isinstance(document, dict):
            raise ValidationException("The %s file must be a YAML mapping of fields" % what)
        entity = kind(**{k: v for k, v in document.items() if k != "$schema" and k.isidentifier()})
        entity._base_path = base
        return entity
    load.__name__ = "load_" + what.replace(" ", "_")
    load.__doc__ = "A %s from the CLI's YAML; its relative paths are relative to the file." % what
    return load


load_environment = _loader(Environment, "environment")
load_data = _loader(Data, "data")
load_model = _loader(Model, "model")
load_online_endpoint = _loader(ManagedOnlineEndpoint, "online endpoint")
load_online_deployment = _loader(ManagedOnlineDeployment, "online deployment")
load_batch_endpoint = _loader(BatchEndpoint, "batch endpoint")
load_batch_deployment = _loader(BatchDeployment, "batch deployment")

__all__ = ["MLClient", "command", "Input", "Output", "load_job", "load_component", "load_environment", "load_data",
           "load_model", "load_online_endpoint", "load_online_deployment", "load_batch_endpoint", "load_batch_deployment",
           "AtelierError", "HttpResponseError", "ResourceNotFoundError", "ResourceExistsError", "ClientAuthenticationError",
           "ServiceRequestError", "ValidationException", "JobException"]
