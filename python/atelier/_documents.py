"""Makes documents sendable, as the Java SDK's JobDocuments, ComponentDocuments, EnvironmentDocuments and
ServingDocuments do: local paths (relative to the YAML file, or to the working folder for objects built in
Python) are uploaded as code snapshots and replaced by ``snapshot:<id>``; files an environment names are read in.

- a job's (or a sweep's ``trial``'s) ``code`` folder → ``snapshot:<id>``; a missing folder is an error naming
  ``code``;
- each input whose ``path`` is local → ``snapshot:<id>`` (a file: ``snapshot:<id>/<file name>``); references
  (``azureml:``, ``data:``, ``snapshot:``, URIs) and bindings (``${{...}}``) are left for the server;
- an inline environment's ``conda_file`` (a path) and a one-line ``requirements`` naming a file → their text;
  ``build.path`` → ``build.context: snapshot:<id>``;
- a pipeline step's ``component`` naming a local ``.yml`` file → that component's document, prepared.
"""
import os
import re

from . import _yaml
from .exceptions import ValidationException

REMOTE = re.compile(r"^(snapshot:|azureml:|data:|models:|runs:|[a-z][a-z0-9+.-]*://)")


def is_remote(text):
    return bool(REMOTE.match(text))


def prepare_job(document, base, snapshots):
    upload_code(document, base, snapshots, "")
    if isinstance(document.get("trial"), dict):
        upload_code(document["trial"], base, snapshots, "trial.")
        prepare_environment_field(document["trial"], base, snapshots, "trial.")
    prepare_environment_field(document, base, snapshots, "")
    upload_inputs(document, base, snapshots)
    if document.get("type") == "pipeline" and isinstance(document.get("jobs"), dict):
        for name, step in document["jobs"].items():
            if isinstance(step, dict):
                prepare_step(step, "jobs.%s." % name, base, snapshots)
    return document


def prepare_step(step, prefix, base, snapshots):
    field = "trial" if step.get("type") == "sweep" else "component"
    component = step.get(field)
    if isinstance(component, str) and not is_remote(component) and (
            component.endswith((".yml", ".yaml")) or component.startswith(".")):
        path = os.path.normpath(os.path.join(base, component))
        if not os.path.isfile(path):
            raise ValidationException("Invalid value for '%s%s': %s is not a file" % (prefix, field, path))
        step[field] = prepare_component(_yaml.load_file(path), os.path.dirname(path), snapshots)
    elif isinstance(component, dict):
        upload_code(component, base, snapshots, prefix + field + ".")
        prepare_environment_field(component, base, snapshots, prefix + field + ".")
    upload_code(step, base, snapshots, prefix)
    prepare_environment_field(step, base, snapshots, prefix)
    upload_inputs(step, base, snapshots)


def prepare_component(document, base, snapshots):
    if not isinstance(document, dict):
        raise ValidationException("The component file must be a YAML mapping of fields (name, command, inputs, ...)")
    document.pop("$schema", None)
    upload_code(document, base, snapshots, "")
    prepare_environment_field(document, base, snapshots, "")
    return document


def prepare_environment_field(node, base, snapshots, prefix):
    if isinstance(node.get("environment"), dict):
        read_environment_files(node["environment"], base, prefix + "environment.")
        upload_build(node["environment"], base, snapshots, prefix + "environment.")


def read_environment_files(environment, base, prefix):
    conda = environment.get("conda_file")
    if isinstance(conda, str) and "\n" not in conda:
        path = os.path.normpath(os.path.join(base, conda.strip()))
        if not os.path.isfile(path):
            raise ValidationException("Invalid value for '%sconda_file': %s is not a file" % (prefix, path))
        environment["conda_file"] = _read(path)
    requirements = environment.get("requirements")
    if isinstance(requirements, str) and "\n" not in requirements.strip():
        path = os.path.normpath(os.path.join(base, requirements.strip()))
        if os.path.isfile(path):
            environment["requirements"] = _read(path)


def upload_build(environment, base, snapshots, prefix):
    build = environment.get("build")
    if not isinstance(build, dict) or not isinstance(build.get("path"), str):
        return
    folder = os.path.normpath(os.path.join(base, build["path"].strip()))
    if not os.path.isdir(folder):
        raise ValidationException("Invalid value for '%sbuild.path': %s is not a folder" % (prefix, folder))
    del build["path"]
    build["context"] = "snapshot:" + snapshots.upload(folder)


def upload_inputs(document, base, snapshots):
    inputs = document.get("inputs")
    if not isinstance(inputs, dict):
        return
    for name, value in inputs.items():
        if isinstance(value, dict) and isinstance(value.get("path"), str):
            path = value["path"]
            if not is_remote(path) and "${{" not in path:
                local = os.path.normpath(os.path.join(base, path))
                if not os.path.exists(local):
                    raise ValidationException("Invalid value for 'inputs.%s.path': %s is neither a file nor a folder" % (name, local))
                snapshot = snapshots.upload(local)
                value["path"] = "snapshot:" + snapshot + ("/" + os.path.basename(local) if os.path.isfile(local) else "")


def upload_code(node, base, snapshots, prefix):
    code = node.get("code")
    if isinstance(code, str) and not is_remote(code):
        folder = os.path.normpath(os.path.join(base, code))
        if not os.path.isdir(folder):
            raise ValidationException("Invalid value for '%scode': %s is not a folder" % (prefix, folder))
        node["code"] = "snapshot:" + snapshots.upload(folder)


def upload_deployment_code(document, base, snapshots):
    configuration = document.get("code_configuration")
    if not isinstance(configuration, dict):
        return
    code = configuration.get("code")
    if isinstance(code, str) and not is_remote(code):
        folder = os.path.normpath(os.path.join(base, code))
        if not os.path.isdir(folder):
            raise ValidationException("Invalid value for 'code_configuration.code': %s is not a folder" % folder)
        configuration["code"] = "snapshot:" + snapshots.upload(folder)


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()
