"""Batch endpoints and deployments against the server (the REST contract in docs/python.md, "Batch endpoints")."""
import io
import os
import shutil
import tempfile
import unittest
import uuid

import support
from atelier import Input, MLClient, ResourceNotFoundError, ValidationException
from atelier.entities import BatchDeployment, BatchEndpoint, Model


class BatchEndpointsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = MLClient(url=support.require())
        cls.folder = tempfile.mkdtemp(prefix="atelier-batch-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def test_an_onnx_model_scores_a_local_folder_and_its_predictions_become_a_data_asset(self):
        model = self.client.models.create_or_update(Model(name="batch-onnx-" + uuid.uuid4().hex[:8],
                                                          path=support.require("ATELIER_ONNX_FOLDER")))
        name = "py-batch-" + uuid.uuid4().hex[:8]
        endpoint = self.client.batch_endpoints.begin_create_or_update(BatchEndpoint(name=name, description="from Python")).result()
        self.assertEqual(endpoint.name, name)
        deployment = self.client.batch_deployments.begin_create_or_update(BatchDeployment(
            name="first", endpoint_name=name, model="azureml:%s:%s" % (model.name, model.version), compute="local",
            mini_batch_size=2), set_default=True).result()
        self.assertEqual(deployment.name, "first")
        self.assertEqual(self.client.batch_endpoints.get(name).defaults["deployment_name"], "first")
        self.assertEqual([d.name for d in self.client.batch_deployments.list(name)], ["first"])
        self.assertIn(name, [e.name for e in self.client.batch_endpoints.list()])

        inputs = os.path.join(self.folder, "inputs")
        os.makedirs(inputs)
        for index in range(3):
            with open(os.path.join(inputs, "part-%d.csv" % index), "w") as handle:
                handle.write("x0,x1\n0.1,0.9\n0.9,0.1\n")
        job = self.client.batch_endpoints.invoke(endpoint_name=name, input=Input(type="uri_folder", path=inputs))
        self.assertTrue(job.name)
        log = io.StringIO()
        self.assertEqual(self.client.jobs.stream(job.name, out=log).status, "Completed", log.getvalue())
        self.assertIn(job.name, [listed.name for listed in self.client.batch_endpoints.list_jobs(name)])
        predictions = self.client.data.get(name + "-predictions", label="latest")
        self.assertTrue(predictions.version)

        self.client.batch_deployments.begin_delete("first", endpoint_name=name).result()
        self.client.batch_endpoints.begin_delete(name).result()
        with self.assertRaises(ResourceNotFoundError):
            self.client.batch_endpoints.get(name)

    def test_invoke_needs_an_input(self):
        with self.assertRaises(ValidationException):
            self.client.batch_endpoints.invoke(endpoint_name="any")
        with self.assertRaises(ValidationException) as raised:
            self.client.batch_endpoints.invoke(endpoint_name="any", input=Input(path=os.path.join(self.folder, "missing")))
        self.assertIn("input.path", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
