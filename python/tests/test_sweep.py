"""A command with distributions for inputs becomes the sweep job the server takes (no server needed)."""
import unittest

from atelier import ValidationException, command
from atelier.sweep import BanditPolicy, Choice, LogUniform


class SweepTest(unittest.TestCase):
    def test_swept_inputs_become_the_search_space_and_the_rest_stay_inputs(self):
        job = command(code="./src", command="python3 train.py --lr ${{inputs.lr}} --depth ${{inputs.depth}} --n ${{inputs.n}}",
                      inputs={"lr": 0.1, "depth": 4, "n": 100}, environment="azureml:py@latest", experiment_name="e")
        sweep = job(lr=LogUniform(min_value=-7, max_value=-2), depth=Choice([4, 6])).sweep(
            primary_metric="auc", goal="Maximize", sampling_algorithm="random", compute="local",
            early_termination_policy=BanditPolicy(slack_factor=0.1))
        sweep.set_limits(max_total_trials=4, max_concurrent_trials=2)
        document = sweep._document()
        self.assertEqual(document["type"], "sweep")
        self.assertEqual(document["trial"], {"command": "python3 train.py --lr ${{search_space.lr}} --depth ${{search_space.depth}} "
                                                        "--n ${{inputs.n}}", "code": "./src", "environment": "azureml:py@latest"})
        self.assertEqual(document["search_space"], {"lr": {"type": "loguniform", "min_value": -7, "max_value": -2},
                                                    "depth": {"type": "choice", "values": [4, 6]}})
        self.assertEqual(document["inputs"], {"n": 100})
        self.assertEqual(document["objective"], {"primary_metric": "auc", "goal": "maximize"})
        self.assertEqual(document["limits"], {"max_total_trials": 4, "max_concurrent_trials": 2})
        self.assertEqual(document["early_termination"], {"type": "bandit", "slack_factor": 0.1, "evaluation_interval": 1,
                                                         "delay_evaluation": 0})
        self.assertEqual(document["compute"], "local")
        self.assertEqual(job.inputs["lr"], 0.1, "the command itself is unchanged")

    def test_a_sweep_needs_something_to_sweep_and_an_objective(self):
        job = command(command="echo ${{inputs.a}}", inputs={"a": 1})
        with self.assertRaises(ValidationException):
            job.sweep(primary_metric="m", goal="minimize")
        with self.assertRaises(ValidationException):
            job(a=Choice([1, 2])).sweep()


if __name__ == "__main__":
    unittest.main()
