package dev.atelier.server.serving.kubernetes;

import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.artifacts.FileInfo;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.ServiceFiles;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.registry.ModelFiles;
import dev.atelier.server.registry.RegistryService;
import dev.atelier.server.serving.BackendStarter;
import dev.atelier.server.serving.DeploymentSpec;
import dev.atelier.server.serving.script.ScoringRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A {@link KubernetesDeploymentSource} over the other domains' services: the compute target, the image of the
 * deployment's environment, the model version's files as the registry keeps them (listed, not copied: the pods
 * download them through the artifact proxy), the code snapshot's zip, Atelier's scoring runner as a text file, and the
 * signature from its {@code MLmodel}. The service is {@code deployment <endpoint>/<deployment>} tagged with its
 * endpoint and deployment (labels, {@code service_url_template} placeholders). Thread-safe.
 */
public final class ServicesDeploymentSource implements KubernetesDeploymentSource {
    /** The folders of the pods: {@code /model}, {@code /code} and the runner's {@code /atelier}. */
    static final String MODEL = "model";
    static final String CODE = "code";
    static final String RUNNER = "atelier";
    private static final int MAX_MODEL_FILES = 1_000;

    private final ComputeService computes;
    private final EnvironmentService environments;
    private final RegistryService registry;
    private final ArtifactService artifacts;
    private final DeploymentTokens tokens;

    public ServicesDeploymentSource(ComputeService computes, EnvironmentService environments, RegistryService registry,
                                    ArtifactService artifacts, DeploymentTokens tokens) {
        this.computes = requireNonNull(computes, "computes is null");
        this.environments = requireNonNull(environments, "environments is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    @Override
    public Resolved resolve(BackendStarter.StartRequest request) {
        String workspace = request.workspace();
        DeploymentSpec deployment = request.spec();
        ComputeTarget target = computes.get(workspace, deployment.compute());
        String reference = deployment.environment().orElseThrow(() -> AtelierException.invalidParameter(
                "A deployment on Kubernetes target '" + target.name() + "' needs an 'environment' of kind image"));
        Environment environment = environments.resolve(workspace, "environment", reference);
        String image = environment.image().orElseThrow(() -> AtelierException.invalidParameter(
                "Environment '" + reference + "' names no image; Kubernetes pods need one"));
        ModelFiles files = registry.files(workspace, registry.getModelVersion(workspace, deployment.modelName(), deployment.modelVersion()));
        List<String> listed = new ArrayList<>();
        list(workspace, files.path(), "", listed);
        Map<String, String> variables = new HashMap<>(deployment.environmentVariables());
        // where the model is and what is served (these win over the deployment's own)
        variables.put("AZUREML_MODEL_DIR", ServiceSpec.folder(MODEL));
        variables.put("ATELIER_MODEL_DIR", ServiceSpec.folder(MODEL));
        variables.put("ATELIER_MODEL_NAME", deployment.modelName());
        variables.put("ATELIER_MODEL_VERSION", deployment.modelVersion());
        variables.put("ATELIER_WORKSPACE", workspace);
        variables.put("ATELIER_ENDPOINT", request.endpoint());
        variables.put("ATELIER_DEPLOYMENT", request.deployment());
        variables.put("ATELIER_PORT", ServiceSpec.PORT);
        List<ServiceFiles> folders = new ArrayList<>();
        folders.add(new ServiceFiles(MODEL, Optional.empty(), Optional.of(new ServiceFiles.Remote.Listed(
                "api/2.0/mlflow-artifacts/artifacts/" + files.path(), listed))));
        List<String> command = List.of();
        Optional<String> script = deployment.code().flatMap(snapshot -> deployment.scoringScript());
        if (script.isPresent()) {
            folders.add(new ServiceFiles(CODE, Optional.empty(), Optional.of(new ServiceFiles.Remote.Zip(
                    "api/v1/snapshots/" + deployment.code().orElseThrow() + "/zip"))));
            folders.add(new ServiceFiles(RUNNER, Optional.empty(), Optional.of(new ServiceFiles.Remote.Text(
                    ScoringRunner.FILE_NAME, ScoringRunner.source()))));
            command = ScoringRunner.command(List.of("python3"), ServiceSpec.folder(RUNNER) + "/" + ScoringRunner.FILE_NAME,
                    ServiceSpec.folder(CODE), script.get(), ServiceSpec.HOST, ServiceSpec.PORT);
        }
        ServiceSpec spec = new ServiceSpec(request.workloadId(),
                Map.of("endpoint", request.endpoint(), "deployment", request.deployment()), command,
                script.isPresent() ? Optional.of(CODE) : Optional.empty(), variables, Map.of(), Optional.empty(), Optional.of(image),
                folders, deployment.instanceCount(), "/health", tokens.token(request), Optional.empty(), Optional.empty());
        return new Resolved(target, spec, signature(files, listed));
    }

    private void list(String workspace, String folder, String prefix, List<String> files) {
        for (FileInfo entry : artifacts.list(workspace, prefix.isEmpty() ? folder : folder + "/" + prefix)) {
            String path = prefix.isEmpty() ? entry.path() : prefix + "/" + entry.path();
            if (entry.isDir()) {
                list(workspace, folder, path, files);
            } else if (files.size() < MAX_MODEL_FILES) {
                files.add(path);
            } else {
                throw AtelierException.invalidParameter("The model's folder holds more than " + MAX_MODEL_FILES
                        + " files; pods download them one by one, so package the model in fewer files");
            }
        }
    }

    /** The signature in the model's {@code MLmodel}; empty when there is none or it cannot be read. */
    private Optional<ModelSignature> signature(ModelFiles files, List<String> listed) {
        if (!listed.contains("MLmodel")) {
            return Optional.empty();
        }
        try (ArtifactContent content = artifacts.open(files.workspace(), files.path() + "/MLmodel")) {
            MlModel model = MlModelYaml.parse(new String(content.stream().readAllBytes(), StandardCharsets.UTF_8));
            return model.signature();
        } catch (IOException | AtelierException e) {
            return Optional.empty();
        }
    }
}
