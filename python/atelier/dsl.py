"""``@pipeline``: a Python function calling components becomes a pipeline job, as azure-ai-ml's ``dsl.pipeline`` does.

Inside the decorated function, calling a component (``load_component(...)``, ``ml_client.components.get(...)``) or a
``command(...)`` makes a step; its ``.outputs.<name>`` bind later steps' inputs, the function's parameters are the
pipeline's inputs, and the dict it returns names the pipeline's outputs. Steps are named after the variables that
hold them (else after their component). Calling the function returns a :class:`~atelier.entities.PipelineJob`
for ``ml_client.jobs.create_or_update``. A registered component is sent as ``azureml:<name>:<version>``, a loaded
one inline (its code uploaded at submission). Thread-safe: each thread builds its own pipelines.
"""
import functools
import inspect
import os
import re
import sys
import threading

from . import _documents
from .entities import CommandComponent, Input, PipelineJob, _Entity, _render
from .exceptions import ValidationException

_local = threading.local()


class PipelineJobSettings(_Entity):
    _fields = ("default_compute", "default_datastore", "continue_on_step_failure", "force_rerun")


class _ParentInput:
    def __init__(self, name):
        self.name = name

    def __str__(self):
        return "${{parent.inputs.%s}}" % self.name


class _OutputBinding:
    def __init__(self, step, name):
        self.step = step
        self.name = name

    def __str__(self):
        if not self.step.name:
            raise ValidationException("A step's output was used before the step had a name")
        return "${{parent.jobs.%s.outputs.%s}}" % (self.step.name, self.name)


class _Outputs:
    def __init__(self, step):
        self._step = step

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _OutputBinding(self._step, name)

    def __getitem__(self, name):
        return _OutputBinding(self._step, name)


class PipelineStep:
    """One step of a pipeline being built: set ``compute``, ``environment_variables``, ``display_name``, ``name``."""

    def __init__(self, component, inputs):
        self.component = component
        self.inputs = dict(inputs)
        self.outputs = _Outputs(self)
        self.name = None
        self.compute = None
        self.display_name = None
        self.environment_variables = None
        self.limits = None
        self._bound_outputs = {}

    def _document(self):
        component = self.component
        step = {"type": "command"}
        if isinstance(component, CommandComponent):
            if component._rest is not None and component.name and component.version is not None:
                step["component"] = "azureml:%s:%s" % (component.name, component.version)
            else:
                step["component"] = _absolute_code(component._document(), component._base_path)
        else:
            document = _absolute_code(component._document(), component._base_path)
            for field in ("command", "code", "environment", "outputs", "environment_variables", "limits"):
                if field in document:
                    step[field] = document[field]
            step["inputs"] = dict(document.get("inputs") or {})
        inputs = dict(step.get("inputs", {}))
        for key, value in self.inputs.items():
            if value is not None:
                inputs[key] = _bind(value)
        step["inputs"] = inputs
        if not step["inputs"]:
            del step["inputs"]
        if self._bound_outputs:
            outputs = dict(step.get("outputs") or {})
            outputs.update(self._bound_outputs)
            step["outputs"] = outputs
        for field in ("compute", "display_name", "environment_variables", "limits"):
            if getattr(self, field) is not None:
                step[field] = _render(getattr(self, field))
        return step


def _absolute_code(document, base):
    """Makes a local ``code`` and local input paths absolute, so they are found whatever the pipeline's folder."""
    base = base or os.getcwd()
    code = document.get("code")
    if isinstance(code, str) and not _documents.is_remote(code):
        document["code"] = os.path.normpath(os.path.join(base, code))
    for value in (document.get("inputs") or {}).values():
        if isinstance(value, dict) and isinstance(value.get("path"), str) and not _documents.is_remote(value["path"]) \
                and "${{" not in value["path"]:
            value["path"] = os.path.abspath(os.path.join(base, value["path"]))
    return document


def _bind(value):
    if isinstance(value, (_ParentInput, _OutputBinding)):
        return str(value)
    if isinstance(value, Input):
        rendered = _render(value)
        if isinstance(rendered.get("path"), str) and not _documents.is_remote(rendered["path"]):
            rendered["path"] = os.path.abspath(rendered["path"])
        return rendered
    return _render(value)


def _in_pipeline():
    return bool(getattr(_local, "stack", None))


def _node_for(component, inputs):
    stack = getattr(_local, "stack", None)
    if not stack:
        raise ValidationException("Call components inside a function decorated with @pipeline")
    step = PipelineStep(component, inputs)
    stack[-1].append(step)
    return step


def pipeline(func=None, *, name=None, display_name=None, description=None, experiment_name=None, compute=None,
             default_compute=None, tags=None, continue_on_step_failure=None, force_rerun=None, **kwargs):
    """Decorates a function whose calls to components are a pipeline's steps; see the module's comment."""

    def decorate(function):
        signature = inspect.signature(function)

        @functools.wraps(function)
        def build(*args, **call_kwargs):
            bound = signature.bind(*args, **call_kwargs)
            bound.apply_defaults()
            steps = []
            stack = getattr(_local, "stack", None)
            if stack is None:
                stack = _local.stack = []
            stack.append(steps)
            captured = {}

            def profile(frame, event, argument):
                if event == "return" and frame.f_code is function.__code__:
                    captured.update(frame.f_locals)

            previous = sys.getprofile()
            sys.setprofile(profile)
            try:
                result = function(**{parameter: _ParentInput(parameter) for parameter in bound.arguments})
            finally:
                sys.setprofile(previous)
                stack.pop()
            _name_steps(steps, captured)
            outputs = {}
            if result is not None:
                if not isinstance(result, dict):
                    raise ValidationException("A @pipeline function returns a dict of its outputs (or nothing)")
                for output_name, binding in result.items():
                    if not isinstance(binding, _OutputBinding):
                        raise ValidationException("Output '%s' of the pipeline must be a step's output" % output_name)
                    binding.step._bound_outputs[binding.name] = "${{parent.outputs.%s}}" % output_name
                    outputs[output_name] = {"type": "uri_folder"}
            job = PipelineJob(type="pipeline", display_name=display_name or function.__name__, description=description
                              or (inspect.getdoc(function) or None), experiment_name=experiment_name, tags=tags)
            if name:
                job.name = name
            job.inputs = {key: _render(value) for key, value in bound.arguments.items() if value is not None} or None
            job.outputs = outputs or None
            job.settings = PipelineJobSettings(default_compute=default_compute or compute,
                                               continue_on_step_failure=continue_on_step_failure, force_rerun=force_rerun)
            job.jobs = {step.name: step._document() for step in steps}
            if not job.jobs:
                raise ValidationException("The @pipeline function %s called no component" % function.__name__)
            if isinstance(job.inputs, dict):
                for value in job.inputs.values():
                    if isinstance(value, dict) and isinstance(value.get("path"), str) and not _documents.is_remote(value["path"]):
                        value["path"] = os.path.abspath(value["path"])
            return job

        return build

    return decorate(func) if callable(func) else decorate


def _name_steps(steps, captured):
    for variable, value in captured.items():
        if isinstance(value, PipelineStep) and value.name is None and re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", variable):
            value.name = variable
    taken = {step.name for step in steps if step.name}
    for step in steps:
        if step.name:
            continue
        base = re.sub(r"[^A-Za-z0-9_]", "_", getattr(step.component, "name", None) or "step") or "step"
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = "%s_%d" % (base, number), number + 1
        step.name = candidate
        taken.add(candidate)
    names = [step.name for step in steps]
    if len(set(names)) != len(names):
        raise ValidationException("Two steps are named the same: %s" % ", ".join(sorted(n for n in names if names.count(n) > 1)))


__all__ = ["pipeline", "PipelineStep", "PipelineJobSettings"]
