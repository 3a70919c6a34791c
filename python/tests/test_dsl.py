"""@pipeline builds the pipeline job document the server takes (no server needed)."""
import os
import tempfile
import unittest

from atelier import Input, Output, ValidationException, command, load_component
from atelier.dsl import pipeline
from atelier.entities import CommandComponent


class PipelineDslTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.folder, "train"))
        self.component_file = os.path.join(self.folder, "train.yml")
        with open(self.component_file, "w") as handle:
            handle.write("name: train\ncode: ./train\ncommand: python3 t.py ${{inputs.data}} ${{outputs.model}}\n"
                         "inputs: {data: {type: uri_folder}, lr: {type: number, default: 0.1}}\noutputs: {model: {type: uri_folder}}\n")

    def test_steps_are_named_after_their_variables_and_bound_by_their_outputs(self):
        train = load_component(self.component_file)
        prep = command(command="python3 p.py ${{outputs.data}}", outputs={"data": Output(type="uri_folder")})

        @pipeline(default_compute="local", experiment_name="dsl")
        def nightly(raw, lr=0.01):
            """Prepare, then train."""
            prepared = prep(raw=raw)
            trained = train(data=prepared.outputs.data, lr=lr)
            trained.compute = "gpu"
            return {"model": trained.outputs.model}

        job = nightly(raw=Input(type="uri_folder", path="azureml:raw@latest"))
        document = job._document()
        self.assertEqual(document["type"], "pipeline")
        self.assertEqual(document["description"], "Prepare, then train.")
        self.assertEqual(document["settings"], {"default_compute": "local"})
        self.assertEqual(document["inputs"], {"raw": {"type": "uri_folder", "path": "azureml:raw@latest"}, "lr": 0.01})
        self.assertEqual(document["outputs"], {"model": {"type": "uri_folder"}})
        self.assertEqual(list(document["jobs"]), ["prepared", "trained"])
        prepared, trained = document["jobs"]["prepared"], document["jobs"]["trained"]
        self.assertEqual(prepared["inputs"], {"raw": "${{parent.inputs.raw}}"})
        self.assertEqual(prepared["command"], "python3 p.py ${{outputs.data}}")
        self.assertEqual(trained["inputs"], {"data": "${{parent.jobs.prepared.outputs.data}}", "lr": "${{parent.inputs.lr}}"})
        self.assertEqual(trained["outputs"], {"model": "${{parent.outputs.model}}"})
        self.assertEqual(trained["compute"], "gpu")
        self.assertEqual(trained["component"]["code"], os.path.join(self.folder, "train"), "code made absolute, from the file")

    def test_a_registered_component_is_referenced_and_unnamed_steps_get_its_name(self):
        registered = CommandComponent._from_rest({"name": "train", "version": "3", "document": {"command": "x"}})

        @pipeline
        def twice():
            registered()
            registered()

        jobs = twice()._document()["jobs"]
        self.assertEqual(list(jobs), ["train", "train_2"])
        self.assertEqual(jobs["train"]["component"], "azureml:train:3")

    def test_components_outside_a_pipeline_and_empty_pipelines_are_refused(self):
        with self.assertRaises(ValidationException):
            load_component(self.component_file)(data="x")

        @pipeline
        def empty():
            pass

        with self.assertRaises(ValidationException) as raised:
            empty()
        self.assertIn("called no component", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
