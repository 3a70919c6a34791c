"""Online endpoints and deployments (``/api/v1/endpoints``, docs/endpoints.md) and batch endpoints and deployments
(``/api/v1/batch-endpoints``), with azure-ai-ml's operation names. Creating or changing returns a poller whose
``result()`` waits until the server settled the deployment (``Succeeded``; ``Failed`` raises with the server's
reason). Scoring (``invoke``) goes to the endpoint's own URL: with auth mode ``key`` the primary key is read
through the API first, as the CLI does.
"""
import json
import os

from . import _documents
from ._http import quote
from ._operations import _Operations
from ._polling import DonePoller, LROPoller
from .entities import (BatchDeployment, BatchEndpoint, EndpointAuthKeys, Input, ManagedOnlineDeployment,
                       ManagedOnlineEndpoint, Model, job_from_rest)
from .exceptions import HttpResponseError, ResourceNotFoundError, ValidationException, error_for

SETTLING = ("Creating", "Updating", "Deleting", "Provisioning")
DEPLOYMENT_HEADER = "azureml-model-deployment"
ENDPOINT_CHANGES = ("description", "tags", "traffic", "mirror_traffic")


def _settled(state):
    return state.get("provisioning_state") not in SETTLING


def _document(entity, client, endpoint_name=None):
    """The deployment's document: a local model registered first, local code uploaded, the endpoint in the path only."""
    document = entity._document()
    model = getattr(entity, "model", None)
    if isinstance(model, Model) and model.version is None and model.path:
        registered = client.models.create_or_update(Model(name=model.name or "%s-%s" % (endpoint_name, entity.name),
                                                          path=model.path, description=model.description, tags=model.tags))
        document["model"] = "azureml:%s:%s" % (registered.name, registered.version)
    document.pop("endpoint_name", None)
    _documents.upload_deployment_code(document, getattr(entity, "_base_path", None) or os.getcwd(), client._snapshots)
    return document


class OnlineEndpointOperations(_Operations):
    def begin_create_or_update(self, endpoint, *, local=False):
        document = endpoint._document()
        name = document.get("name")
        if not name:
            raise ValidationException("The endpoint has no name")
        try:
            self._transport.get(self._path(name))
        except ResourceNotFoundError:
            self._transport.post(self._native("endpoints"), document)
        else:
            changes = {k: document[k] for k in ENDPOINT_CHANGES if k in document}
            self._transport.patch(self._path(name), changes)
        return LROPoller(lambda: self._transport.get(self._path(name)), _settled, ManagedOnlineEndpoint._from_rest)

    def get(self, name, *, local=False):
        return ManagedOnlineEndpoint._from_rest(self._transport.get(self._path(name)))

    def list(self, *, local=False):
        return [ManagedOnlineEndpoint._from_rest(item) for item in self._transport.get(self._native("endpoints")).get("endpoints", [])]

    def begin_delete(self, name, *, local=False):
        self._transport.delete(self._path(name))
        return DonePoller(None)

    def get_keys(self, name):
        return EndpointAuthKeys._from_rest(self._transport.get(self._path(name) + "/keys"))

    def begin_regenerate_keys(self, name, *, key_type="primary"):
        return DonePoller(EndpointAuthKeys._from_rest(self._transport.post(self._path(name) + "/keys/regenerate",
                                                                            {"key_type": key_type})))

    def invoke(self, endpoint_name, request_file=None, deployment_name=None, *, request=None, path="score",
               content_type="application/json", local=False):
        """Sends ``request_file``'s content (or ``request``: text, bytes, or an object sent as JSON) to the endpoint's
        ``/score`` (``path`` may be ``invocations`` or ``v2/models/<model>/infer``); ``deployment_name`` bypasses the
        traffic split. Answers the response's text; an error status raises with the endpoint's answer."""
        if request_file is not None:
            with open(request_file, "rb") as handle:
                body = handle.read()
        elif isinstance(request, bytes):
            body = request
        elif isinstance(request, str):
            body = request.encode("utf-8")
        elif request is not None:
            body = json.dumps(request).encode("utf-8")
        else:
            raise ValidationException("Give request_file (or request)")
        endpoint = self._transport.get(self._path(endpoint_name))
        credentials = self._transport.credentials
        if endpoint.get("auth_mode") == "key":
            from ._http import Credentials
            credentials = Credentials.token(self.get_keys(endpoint_name).primary_key, "the endpoint's primary key")
        headers = {DEPLOYMENT_HEADER: deployment_name} if deployment_name else {}
        target = self._client._workspace_prefix() + "/endpoints/" + quote(endpoint_name) + "/" + path.lstrip("/")
        answer = self._transport.send("POST", target, body, content_type, headers, credentials)
        if answer.status_code // 100 != 2:
            try:
                message = answer.json().get("message") or answer.text()
            except ValueError:
                message = answer.text()
            raise error_for(answer.status_code, "Endpoint '%s' answered %d: %s" % (endpoint_name, answer.status_code, message), None)
        return answer.text()

    def _path(self, name):
        return self._native("endpoints/" + quote(name))


class OnlineDeploymentOperations(_Operations):
    def begin_create_or_update(self, deployment, *, local=False, skip_script_validation=False):
        endpoint = deployment.endpoint_name
        if not endpoint or not deployment.name:
            raise ValidationException("The deployment needs a name and an endpoint_name")
        document = _document(deployment, self._client, endpoint)
        try:
            self._transport.get(self._path(deployment.name, endpoint))
        except ResourceNotFoundError:
            self._transport.post(self._native("endpoints/%s/deployments" % quote(endpoint)), document)
        else:
            document.pop("name", None)
            self._transport.patch(self._path(deployment.name, endpoint), document)
        return LROPoller(lambda: self._transport.get(self._path(deployment.name, endpoint)), _settled, self._finish)

    @staticmethod
    def _finish(state):
        if state.get("provisioning_state") == "Failed":
            error = state.get("error")
            reason = error.get("message", error) if isinstance(error, dict) else error or "no reason given"
            raise HttpResponseError("Deployment '%s' failed: %s" % (state.get("name"), reason), error_code="Failed")
        return ManagedOnlineDeployment._from_rest(state)

    def get(self, name, endpoint_name, *, local=False):
        return ManagedOnlineDeployment._from_rest(self._transport.get(self._path(name, endpoint_name)))

    def list(self, endpoint_name, *, local=False):
        answer = self._transport.get(self._native("endpoints/%s/deployments" % quote(endpoint_name)))
        return [ManagedOnlineDeployment._from_rest(item) for item in answer.get("deployments", [])]

    def begin_delete(self, name, endpoint_name, *, local=False):
        self._transport.delete(self._path(name, endpoint_name))
        return DonePoller(None)

    def get_logs(self, name, endpoint_name, lines=100, *, local=False):
        answer = self._transport.get(self._path(name, endpoint_name) + "/logs?tail=%d" % lines)
        return "\n".join(answer.get("lines", []))

    def _path(self, name, endpoint):
        return self._native("endpoints/%s/deployments/%s" % (quote(endpoint), quote(name)))


class BatchEndpointOperations(_Operations):
    """``/api/v1/batch-endpoints`` (the contract in docs/python.md): create, read, delete, and ``invoke`` to start a
    batch scoring job over a data asset, a datastore path, or a local file or folder (uploaded as a data asset)."""

    def begin_create_or_update(self, endpoint):
        document = endpoint._document()
        name = document.get("name")
        if not name:
            raise ValidationException("The batch endpoint has no name")
        try:
            self._transport.get(self._path(name))
        except ResourceNotFoundError:
            return DonePoller(BatchEndpoint._from_rest(self._transport.post(self._native("batch-endpoints"), document)))
        changes = {k: document[k] for k in ("description", "defaults", "tags") if k in document}
        return DonePoller(BatchEndpoint._from_rest(self._transport.patch(self._path(name), changes)))

    def get(self, name):
        return BatchEndpoint._from_rest(self._transport.get(self._path(name)))

    def list(self):
        return [BatchEndpoint._from_rest(item) for item in self._transport.get(self._native("batch-endpoints")).get("batch_endpoints", [])]

    def begin_delete(self, name):
        self._transport.delete(self._path(name))
        return DonePoller(None)

    def invoke(self, endpoint_name, *, input=None, inputs=None, deployment_name=None, experiment_name=None, output_name=None,
               **kwargs):
        """Starts a batch scoring job and returns it (a job: ``jobs.get``, ``jobs.stream`` follow it)."""
        if input is None and inputs:
            if len(inputs) != 1:
                raise ValidationException("A batch endpoint takes one input, got %s" % ", ".join(sorted(inputs)))
            input = next(iter(inputs.values()))
        if not isinstance(input, Input) or not input.path:
            raise ValidationException("Give input=Input(type='uri_folder', path=...)")
        path = str(input.path)
        if not _documents.is_remote(path):
            if not os.path.exists(path):
                raise ValidationException("Invalid value for 'input.path': %s is neither a file nor a folder" % path)
            from .entities import Data
            data = self._client.data.create_or_update(Data(name="%s-input" % endpoint_name, path=path,
                                                           type=input.type or "uri_folder"))
            path = "azureml:%s:%s" % (data.name, data.version)
        body = {"input": {"type": input.type or "uri_folder", "path": path}}
        for field, value in (("deployment_name", deployment_name), ("experiment_name", experiment_name),
                             ("output_name", output_name)):
            if value:
                body[field] = value
        return job_from_rest(self._transport.post(self._path(endpoint_name) + "/invoke", body))

    def list_jobs(self, endpoint_name):
        return [job_from_rest(item) for item in self._transport.get(self._path(endpoint_name) + "/jobs").get("jobs", [])]

    def _path(self, name):
        return self._native("batch-endpoints/" + quote(name))


class BatchDeploymentOperations(_Operations):
    def begin_create_or_update(self, deployment, *, set_default=False):
        endpoint = deployment.endpoint_name
        if not endpoint or not deployment.name:
            raise ValidationException("The batch deployment needs a name and an endpoint_name")
        document = _document(deployment, self._client, endpoint)
        try:
            self._transport.get(self._path(deployment.name, endpoint))
        except ResourceNotFoundError:
            query = "?set_default=true" if set_default else ""
            created = self._transport.post(self._native("batch-endpoints/%s/deployments%s" % (quote(endpoint), query)), document)
            return DonePoller(BatchDeployment._from_rest(created))
        document.pop("name", None)
        return DonePoller(BatchDeployment._from_rest(self._transport.patch(self._path(deployment.name, endpoint), document)))

    def get(self, name, endpoint_name):
        return BatchDeployment._from_rest(self._transport.get(self._path(name, endpoint_name)))

    def list(self, endpoint_name):
        answer = self._transport.get(self._native("batch-endpoints/%s/deployments" % quote(endpoint_name)))
        return [BatchDeployment._from_rest(item) for item in answer.get("deployments", [])]

    def begin_delete(self, name, endpoint_name):
        self._transport.delete(self._path(name, endpoint_name))
        return DonePoller(None)

    def _path(self, name, endpoint):
        return self._native("batch-endpoints/%s/deployments/%s" % (quote(endpoint), quote(name)))
