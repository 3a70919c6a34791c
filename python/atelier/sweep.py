"""Hyperparameter sweeps with azure-ai-ml's names: search-space distributions for a command's inputs, early
termination policies, and ``command(...)(lr=Choice([...])).sweep(...)`` making a sweep job (docs/jobs.md, "Sweep
jobs"). The trial command's ``${{inputs.<name>}}`` of a swept input becomes ``${{search_space.<name>}}``; the other
inputs stay the sweep's inputs.
"""
from .entities import _Entity


class _Distribution(_Entity):
    _kind = None

    def _document(self):
        document = super()._document()
        document["type"] = self._kind
        return document


class Choice(_Distribution):
    _kind = "choice"
    _fields = ("values",)

    def __init__(self, values=None):
        super().__init__(values=list(values or []))


class Randint(_Distribution):
    _kind = "randint"
    _fields = ("upper",)

    def __init__(self, upper=None):
        super().__init__(upper=upper)


class Uniform(_Distribution):
    _kind = "uniform"
    _fields = ("min_value", "max_value")

    def __init__(self, min_value=None, max_value=None):
        super().__init__(min_value=min_value, max_value=max_value)


class LogUniform(Uniform):
    _kind = "loguniform"


class QUniform(_Distribution):
    _kind = "quniform"
    _fields = ("min_value", "max_value", "q")

    def __init__(self, min_value=None, max_value=None, q=None):
        super().__init__(min_value=min_value, max_value=max_value, q=q)


class QLogUniform(QUniform):
    _kind = "qloguniform"


class Normal(_Distribution):
    _kind = "normal"
    _fields = ("mu", "sigma")

    def __init__(self, mu=None, sigma=None):
        super().__init__(mu=mu, sigma=sigma)


class LogNormal(Normal):
    _kind = "lognormal"


class BanditPolicy(_Distribution):
    _kind = "bandit"
    _fields = ("slack_factor", "slack_amount", "evaluation_interval", "delay_evaluation")

    def __init__(self, slack_factor=None, slack_amount=None, evaluation_interval=1, delay_evaluation=0):
        super().__init__(slack_factor=slack_factor, slack_amount=slack_amount, evaluation_interval=evaluation_interval,
                         delay_evaluation=delay_evaluation)


class MedianStoppingPolicy(_Distribution):
    _kind = "median_stopping"
    _fields = ("evaluation_interval", "delay_evaluation")

    def __init__(self, evaluation_interval=1, delay_evaluation=0):
        super().__init__(evaluation_interval=evaluation_interval, delay_evaluation=delay_evaluation)


class TruncationSelectionPolicy(_Distribution):
    _kind = "truncation_selection"
    _fields = ("truncation_percentage", "evaluation_interval", "delay_evaluation")

    def __init__(self, truncation_percentage=None, evaluation_interval=1, delay_evaluation=0):
        super().__init__(truncation_percentage=truncation_percentage, evaluation_interval=evaluation_interval,
                         delay_evaluation=delay_evaluation)


def is_distribution(value):
    return isinstance(value, (Choice, Randint, Uniform, QUniform, Normal))


def sweep_of(job, primary_metric, goal, sampling_algorithm, compute, max_total_trials, max_concurrent_trials, timeout,
             trial_timeout, early_termination_policy, search_space):
    """The sweep job of a command job whose inputs hold distributions (or with ``search_space`` given)."""
    from .entities import SweepJob
    from .exceptions import ValidationException
    inputs = dict(job.inputs or {})
    space = dict(search_space or {})
    for name, value in list(inputs.items()):
        if is_distribution(value):
            space[name] = inputs.pop(name)
    if not space:
        raise ValidationException("Nothing to sweep: give an input a distribution (Choice, Uniform, ...) or search_space=")
    if not primary_metric or not goal:
        raise ValidationException("A sweep needs primary_metric= and goal= ('maximize' or 'minimize')")
    command = job.command
    for name in space:
        command = command.replace("${{inputs.%s}}" % name, "${{search_space.%s}}" % name)
    trial = {"command": command}
    for field in ("code", "environment", "environment_variables", "resources", "distribution"):
        if getattr(job, field, None) is not None:
            trial[field] = getattr(job, field)
    limits = {key: value for key, value in (("max_total_trials", max_total_trials), ("max_concurrent_trials", max_concurrent_trials),
                                            ("timeout", timeout), ("trial_timeout", trial_timeout)) if value is not None}
    sweep = SweepJob(type="sweep", name=job.name, display_name=job.display_name, description=job.description, tags=job.tags,
                     experiment_name=job.experiment_name, compute=compute or job.compute, trial=trial, search_space=space,
                     inputs=inputs or None, outputs=job.outputs,
                     sampling_algorithm=sampling_algorithm,
                     objective={"primary_metric": primary_metric, "goal": goal.lower()}, limits=limits or None,
                     early_termination=early_termination_policy)
    sweep._base_path = job._base_path
    return sweep
