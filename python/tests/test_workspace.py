"""The package against a real Atelier server (ATELIER_URL; PythonPackageTest starts one): data assets, a command job
with a code folder and a data input (its log streamed), a two-step @pipeline, components, environments, compute, a
model uploaded from a folder and served by an online endpoint, and the errors a user meets first."""
import io
import json
import os
import shutil
import tempfile
import textwrap
import unittest
import uuid

import support
from atelier import (ClientAuthenticationError, HttpResponseError, Input, MLClient, Output, ResourceNotFoundError,
                     ValidationException, command, load_component, load_job)
from atelier.dsl import pipeline
from atelier.entities import Data, Environment, ManagedOnlineDeployment, ManagedOnlineEndpoint, Model


def unique(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


def write(root, relative, content):
    path = os.path.join(root, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(textwrap.dedent(content))
    return path


class WorkspaceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = support.require()
        cls.client = MLClient(url=cls.url)
        cls.folder = tempfile.mkdtemp(prefix="atelier-python-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def iris(self):
        path = write(self.folder, "iris.csv", "sepal,petal,label\n5.1,1.4,setosa\n6.2,4.5,versicolor\n5.9,5.1,virginica\n")
        return self.client.data.create_or_update(Data(name="iris", path=path, type="uri_file", description="three flowers"))

    def test_data_assets_are_uploaded_read_and_listed(self):
        created = self.iris()
        self.assertEqual(created.name, "iris")
        again = self.client.data.get("iris", label="latest")
        self.assertEqual(again.version, created.version)
        self.assertEqual(self.client.data.get("iris", version=created.version).description, "three flowers")
        folder = os.path.join(self.folder, "images")
        write(folder, "a/one.txt", "1")
        write(folder, "two.txt", "2")
        write(folder, "empty.txt", "")
        images = self.client.data.create_or_update(Data(name=unique("images"), path=folder, type="uri_folder"))
        self.assertIn(images.name, [data.name for data in self.client.data.list()])
        target = os.path.join(self.folder, "downloaded")
        written = self.client.data.download(images.name, download_path=target, version=images.version)
        self.assertEqual(sorted(os.path.relpath(p, target) for p in written), ["a/one.txt", "empty.txt", "two.txt"])
        with open(os.path.join(target, "a", "one.txt")) as handle:
            self.assertEqual(handle.read(), "1")
        with self.assertRaises(ResourceNotFoundError) as raised:
            self.client.data.get(unique("no-such-data"))
        self.assertEqual(raised.exception.status_code, 404)

    def test_an_interrupted_upload_resumes_where_the_servers_copy_ends(self):
        from atelier import _operations
        content = bytes(range(256)) * 40
        path = os.path.join(self.folder, "resumed.bin")
        with open(path, "wb") as handle:
            handle.write(content)
        transport, native = self.client._transport, self.client._native_path
        session = transport.post(native("data-uploads"), {"size_bytes": len(content)})["upload_id"]
        transport.send_bytes("PUT", native("data-uploads/%s/files/resumed.bin?offset=0" % session), content[:3000])
        previous, _operations.CHUNK_BYTES = _operations.CHUNK_BYTES, 1000
        try:
            self.assertEqual(self.client.data.upload(path, upload_id=session), session)
        finally:
            _operations.CHUNK_BYTES = previous
        name = unique("resumed")
        transport.post(native("data"), {"name": name, "type": "uri_file", "upload_id": session})
        target = os.path.join(self.folder, "resumed")
        written, = self.client.data.download(name, download_path=target, label="latest")
        with open(written, "rb") as handle:
            self.assertEqual(handle.read(), content)

    def test_a_pipeline_file_with_a_component_file_beside_it_runs(self):
        folder = os.path.join(self.folder, "yaml-pipeline")
        write(folder, "train/t.py", "import sys; print('lr is', sys.argv[1])\n")
        write(folder, "components/train.yml", """
            name: ytrain
            code: ../train
            command: python3 t.py ${{inputs.lr}}
            inputs:
              lr: {type: number, default: 0.5}
            """)
        path = write(folder, "pipeline.yml", """
            type: pipeline
            experiment_name: python-yaml-pipeline
            settings:
              default_compute: azureml:local
            jobs:
              one:
                component: ./components/train.yml
                inputs:
                  lr: %s
            """ % (uuid.uuid4().int % 1000))
        job = self.client.jobs.create_or_update(load_job(path))
        self.assertEqual(self.client.jobs.stream(job.name, out=io.StringIO()).status, "Completed")
        step = self.client.jobs.get(job.name).steps[0]
        log = io.StringIO()
        self.client.jobs.stream(step["job_name"], out=log)
        self.assertIn("lr is ", log.getvalue())

    def test_a_command_job_with_code_and_a_data_input_runs_and_its_log_streams(self):
        self.iris()
        code = os.path.join(self.folder, "src")
        write(code, "train.py", """
            import sys, os
            args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
            rows = open(args["--data"]).read().splitlines()
            print("rows", len(rows) - 1, "lr", args["--lr"])
            os.makedirs(args["--out"], exist_ok=True)
            open(os.path.join(args["--out"], "model.txt"), "w").write("weights")
            """)
        write(code, "big/ignored.bin", "not sent")
        write(code, ".amlignore", "big/\n")
        job = self.client.jobs.create_or_update(command(
            code=code, command="python3 train.py --data ${{inputs.data}} --lr ${{inputs.lr}} --out ${{outputs.model}}",
            inputs={"lr": 0.1, "data": Input(type="uri_file", path="azureml:iris@latest")},
            outputs={"model": Output(type="uri_folder")}, compute="local", experiment_name="python-package",
            display_name="train from Python"))
        self.assertTrue(job.name)
        self.assertTrue(job.run_id)
        log = io.StringIO()
        ended = self.client.jobs.stream(job.name, out=log)
        self.assertEqual(ended.status, "Completed", log.getvalue())
        self.assertIn("rows 3 lr 0.1", log.getvalue())
        self.assertIn("ended Completed", log.getvalue())
        got = self.client.jobs.get(job.name)
        self.assertEqual((got.status, got.run_id), ("Completed", job.run_id))
        self.assertIn(job.name, [listed.name for listed in self.client.jobs.list()])
        snapshot = self.client._transport.get(self.client._native_path("snapshots/" + got.snapshot_id))
        self.assertEqual(sorted(entry["path"] for entry in snapshot["files"]), [".amlignore", "train.py"])
        target = os.path.join(self.folder, "job-files")
        self.assertGreater(self.client.jobs.download(job.name, download_path=target), 0)
        found = [os.path.join(d, f) for d, _, files in os.walk(target) for f in files]
        self.assertIn(os.path.join(target, "outputs", "model", "model.txt"), found)
        only = os.path.join(self.folder, "job-output")
        self.assertEqual(self.client.jobs.download(job.name, download_path=only, output_name="model"), 1)
        with open(os.path.join(only, "outputs", "model", "model.txt")) as handle:
            self.assertEqual(handle.read(), "weights")

    def test_a_failing_job_raises_when_streamed(self):
        job = self.client.jobs.create_or_update(command(command="echo going down; exit 3", compute="local"))
        with self.assertRaises(Exception) as raised:
            self.client.jobs.stream(job.name, out=io.StringIO())
        self.assertIn("Failed", str(raised.exception))

    def test_load_job_reads_the_clis_yaml_with_its_code_beside_it(self):
        folder = os.path.join(self.folder, "yaml-job")
        write(folder, "src/hello.py", "print('hello from', __file__.split('/')[-1])\n")
        path = write(folder, "job.yml", """
            $schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
            type: command
            code: ./src          # relative to this file
            command: >-
              python3 hello.py
            compute: azureml:local
            experiment_name: python-package
            """)
        job = self.client.jobs.create_or_update(load_job(path))
        log = io.StringIO()
        self.assertEqual(self.client.jobs.stream(job.name, out=log).status, "Completed")
        self.assertIn("hello from hello.py", log.getvalue())

    def test_a_sweep_over_a_choice_runs_a_trial_per_value(self):
        from atelier.sweep import Choice
        marker = uuid.uuid4().hex[:8]
        job = command(command="echo %s depth=${{inputs.depth}}" % marker, inputs={"depth": 1}, compute="local")
        sweep = job(depth=Choice([2, 3])).sweep(primary_metric="m", goal="minimize", sampling_algorithm="grid")
        sweep.set_limits(max_total_trials=2)
        submitted = self.client.jobs.create_or_update(sweep)
        self.assertEqual(submitted.type, "sweep")
        self.assertEqual(self.client.jobs.stream(submitted.name, out=io.StringIO()).status, "Completed")
        logs = io.StringIO()
        for trial in self.client.jobs.list(parent_job_name=submitted.name):
            self.client.jobs.stream(trial.name, out=logs)
        self.assertIn("%s depth=2" % marker, logs.getvalue())
        self.assertIn("%s depth=3" % marker, logs.getvalue())

    def test_a_missing_code_folder_is_a_clear_error_before_anything_is_sent(self):
        with self.assertRaises(ValidationException) as raised:
            self.client.jobs.create_or_update(command(code="./no-such-folder", command="python3 x.py"))
        self.assertIn("Invalid value for 'code'", str(raised.exception))
        self.assertIn("no-such-folder is not a folder", str(raised.exception))

    def test_the_servers_refusal_carries_its_message_and_status(self):
        with self.assertRaises(HttpResponseError) as raised:
            self.client.jobs.create_or_update(command(command="echo hi", compute="no-such-compute"))
        self.assertEqual(raised.exception.status_code, 404)
        self.assertIn("no-such-compute", raised.exception.message)

    def test_a_two_step_pipeline_hands_a_folder_from_one_step_to_the_next(self):
        folder = os.path.join(self.folder, "pipeline")
        write(folder, "prep/prep.py", """
            import os, sys
            os.makedirs(sys.argv[1], exist_ok=True)
            open(os.path.join(sys.argv[1], "rows.txt"), "w").write("\\n".join(["r"] * int(sys.argv[2])))
            """)
        write(folder, "train/train.py", """
            import os, sys
            rows = open(os.path.join(sys.argv[1], "rows.txt")).read().splitlines()
            print("trained on", len(rows), "rows")
            os.makedirs(sys.argv[2], exist_ok=True)
            open(os.path.join(sys.argv[2], "model.txt"), "w").write(str(len(rows)))
            """)
        component_file = write(folder, "train.yml", """
            $schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json
            name: py_train
            type: command
            code: ./train
            command: python3 train.py ${{inputs.data}} ${{outputs.model}}
            inputs:
              data: {type: uri_folder}
            outputs:
              model: {type: uri_folder}
            """)
        train = load_component(component_file)
        prep = command(code=os.path.join(folder, "prep"), command="python3 prep.py ${{outputs.data}} ${{inputs.rows}}",
                       inputs={"rows": 4}, outputs={"data": Output(type="uri_folder")})

        @pipeline(experiment_name="python-pipeline", default_compute="local")
        def prepare_and_train(rows):
            prepared = prep(rows=rows)
            trained = train(data=prepared.outputs.data)
            return {"model": trained.outputs.model}

        rows = 2 + uuid.uuid4().int % 1000  # inputs no earlier run had: the steps run (they are not reused)
        job = prepare_and_train(rows=rows)
        self.assertEqual(sorted(job.jobs), ["prepared", "trained"])
        self.assertEqual(job.jobs["trained"]["inputs"]["data"], "${{parent.jobs.prepared.outputs.data}}")
        submitted = self.client.jobs.create_or_update(job)
        self.assertEqual(submitted.type, "pipeline")
        log = io.StringIO()
        ended = self.client.jobs.stream(submitted.name, out=log)
        self.assertEqual(ended.status, "Completed", log.getvalue())
        steps = {step["name"]: step for step in self.client.jobs.get(submitted.name).steps}
        self.assertEqual(sorted(steps), ["prepared", "trained"])
        self.assertEqual([steps[name]["status"] for name in ("prepared", "trained")], ["Completed", "Completed"])
        trained_log = io.StringIO()
        self.client.jobs.stream(steps["trained"]["job_name"], out=trained_log)
        self.assertIn("trained on %d rows" % rows, trained_log.getvalue())

    def test_components_are_registered_read_and_listed(self):
        folder = os.path.join(self.folder, "component")
        write(folder, "src/score.py", "print('scored')\n")
        name = unique("py_component").replace("-", "_")
        path = write(folder, "component.yml", """
            name: %s
            version: "1"
            type: command
            code: ./src
            command: python3 score.py --n ${{inputs.n}}
            inputs:
              n: {type: integer, default: 3, min: 1}
            """ % name)
        created = self.client.components.create_or_update(load_component(path))
        self.assertEqual((created.name, str(created.version)), (name, "1"))
        self.assertTrue(created.code.startswith("snapshot:"), created.code)
        self.assertEqual(created.inputs["n"]["default"], 3)
        self.assertEqual(str(self.client.components.get(name, version="1").version), "1")
        self.assertIn(name, [component.name for component in self.client.components.list()])

    def test_environments_and_compute_are_read_and_listed(self):
        name = unique("py-env")
        created = self.client.environments.create_or_update(Environment(name=name, image="python:3.11-slim",
                                                                        description="an image"))
        self.assertEqual(created.name, name)
        self.assertEqual(self.client.environments.get(name, version=created.version).image, "python:3.11-slim")
        self.assertIn(name, [environment.name for environment in self.client.environments.list()])
        self.assertIn("local", [target.name for target in self.client.compute.list()])
        self.assertEqual(self.client.compute.get("local").type, "local")

    def test_an_onnx_model_from_a_folder_is_served_by_an_online_endpoint(self):
        model_folder = support.require("ATELIER_ONNX_FOLDER")
        model = self.client.models.create_or_update(Model(name=unique("py-onnx"), path=model_folder, description="from Python"))
        self.assertEqual(str(model.version), "1")
        self.assertEqual(self.client.models.get(model.name, version="1").name, model.name)
        self.assertIn(model.name, [registered.name for registered in self.client.models.list()])
        endpoint_name = unique("py-churn")
        endpoint = self.client.online_endpoints.begin_create_or_update(
            ManagedOnlineEndpoint(name=endpoint_name, auth_mode="key", description="from Python")).result()
        self.assertEqual(endpoint.name, endpoint_name)
        self.assertTrue(endpoint.scoring_uri.endswith("/endpoints/%s/score" % endpoint_name))
        deployment = self.client.online_deployments.begin_create_or_update(ManagedOnlineDeployment(
            name="blue", endpoint_name=endpoint_name, model="azureml:%s:%s" % (model.name, model.version), instance_count=1)).result()
        self.assertEqual(deployment.provisioning_state, "Succeeded")
        endpoint.traffic = {"blue": 100}
        self.assertEqual(self.client.online_endpoints.begin_create_or_update(endpoint).result().traffic, {"blue": 100})
        request = write(self.folder, "request.json", json.dumps({"inputs": [[0.1, 0.9], [0.9, 0.1]]}))
        answer = json.loads(self.client.online_endpoints.invoke(endpoint_name=endpoint_name, request_file=request,
                                                                deployment_name="blue"))
        self.assertEqual(len(answer["predictions"]), 2)
        changed = self.client.online_deployments.get("blue", endpoint_name=endpoint_name)
        changed.instance_count = 2
        updated = self.client.online_deployments.begin_create_or_update(changed).result()
        self.assertEqual((updated.provisioning_state, updated.instance_count), ("Succeeded", 2))
        keys = self.client.online_endpoints.get_keys(endpoint_name)
        self.assertTrue(keys.primary_key and keys.secondary_key)
        self.assertEqual([d.name for d in self.client.online_deployments.list(endpoint_name)], ["blue"])
        self.assertIn(endpoint_name, [e.name for e in self.client.online_endpoints.list()])
        self.client.online_endpoints.begin_delete(endpoint_name).result()
        with self.assertRaises(ResourceNotFoundError):
            self.client.online_endpoints.get(endpoint_name)

    def test_a_scoring_script_deployment_uploads_its_code_and_registers_its_local_model(self):
        from atelier.entities import CodeConfiguration
        folder = os.path.join(self.folder, "scripted")
        write(folder, "model/MLmodel", "flavors:\n  python_function:\n    loader_module: mine\n")
        write(folder, "model/weights.txt", "w")
        write(folder, "src/score.py", """
            import json, os
            def init():
                global files
                files = sorted(os.listdir(os.environ["AZUREML_MODEL_DIR"]))
            def run(raw_data):
                return {"files": files, "echo": json.loads(raw_data)["data"]}
            """)
        endpoint_name = unique("py-script")
        self.client.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name=endpoint_name, auth_mode="key")).result()
        deployment = self.client.online_deployments.begin_create_or_update(ManagedOnlineDeployment(
            name="green", endpoint_name=endpoint_name, model=Model(path=os.path.join(folder, "model")),
            code_configuration=CodeConfiguration(code=os.path.join(folder, "src"), scoring_script="score.py"),
            instance_count=1)).result()
        self.assertEqual(deployment.provisioning_state, "Succeeded")
        self.assertTrue(deployment.code_configuration["code"].startswith("snapshot:"))
        self.assertEqual(deployment.model, "azureml:%s-green:1" % endpoint_name)
        answer = self.client.online_endpoints.invoke(endpoint_name=endpoint_name, request={"data": [1, 2]}, deployment_name="green")
        self.assertEqual(json.loads(answer), {"files": ["MLmodel", "weights.txt"], "echo": [1, 2]})
        self.client.online_endpoints.begin_delete(endpoint_name).result()

    def test_another_workspace_is_reached_under_its_prefix(self):
        workspace = unique("py-ws")
        self.client._transport.post("/api/v1/workspaces", {"name": workspace})
        there = MLClient(url=self.url, workspace=workspace)
        path = write(self.folder, "there.txt", "only there")
        there.data.create_or_update(Data(name="only-there", path=path, type="uri_file"))
        self.assertEqual([data.name for data in there.data.list()], ["only-there"])
        with self.assertRaises(ResourceNotFoundError):
            self.client.data.get("only-there")
        job = there.jobs.create_or_update(command(command="echo in $MLFLOW_TRACKING_URI", compute="local"))
        log = io.StringIO()
        self.assertEqual(there.jobs.stream(job.name, out=log).status, "Completed")
        self.assertIn("/w/%s" % workspace, log.getvalue())


class CredentialsTest(unittest.TestCase):
    def test_bad_credentials_are_refused_with_the_servers_message_and_where_they_came_from(self):
        url = support.require("ATELIER_AUTH_URL")
        with self.assertRaises(ClientAuthenticationError) as raised:
            MLClient(url=url, token="atl_not-a-real-token").jobs.list()
        self.assertEqual(raised.exception.status_code, 401)
        self.assertIn("given to the client", raised.exception.message)
        with self.assertRaises(ClientAuthenticationError) as raised:
            MLClient(url=url, username="admin", password="wrong-password").data.list()
        self.assertEqual(raised.exception.status_code, 401)

    def test_an_unreachable_server_is_named(self):
        from atelier import ServiceRequestError
        with self.assertRaises(ServiceRequestError) as raised:
            MLClient(url="http://127.0.0.1:9", token="x").jobs.list()
        self.assertIn("http://127.0.0.1:9", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
