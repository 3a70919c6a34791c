package dev.atelier.server.serving;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.WorkloadNeeds;
import dev.atelier.server.compute.Workloads;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.registry.ModelDescription;
import dev.atelier.server.registry.ModelFiles;
import dev.atelier.server.registry.ModelVersion;
import dev.atelier.server.registry.RegistryService;
import dev.atelier.server.snapshots.SnapshotService;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Turns a deployment document into a {@link DeploymentSpec}: pins the model to a READY version,
 * checks that the server can run it (a Java-native flavor, or a scoring script), that its code
 * snapshot, environment and compute target exist, and that the target takes it ({@link Workloads#check}).
 */
public final class DeploymentResolver {
    private static final Pattern AZURE_MODEL = Pattern.compile("azureml:([^:@/]+)(?::(\\d+)|@([A-Za-z0-9_-]+))?");

    private final RegistryService registry;
    private final ModelRuntimes runtimes;
    private final SnapshotService snapshots;
    private final EnvironmentService environments;
    private final ComputeService computes;
    private final Workloads workloads;

    public DeploymentResolver(RegistryService registry, ModelRuntimes runtimes, SnapshotService snapshots, EnvironmentService environments,
                       ComputeService computes, Workloads workloads) {
        this.registry = requireNonNull(registry, "registry is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.environments = requireNonNull(environments, "environments is null");
        this.computes = requireNonNull(computes, "computes is null");
        this.workloads = requireNonNull(workloads, "workloads is null");
    }

    /**
     * @param pinned the version to keep when the document's model is the one already deployed
     *               (an update that does not change {@code model} does not move an alias)
     */
    DeploymentSpec resolve(String workspace, EndpointDocuments.DeploymentFields fields, Optional<ModelVersion> pinned) {
        ModelVersion version = pinned.orElseGet(() -> resolveModel(workspace, fields.model()));
        ModelFiles files = registry.files(workspace, version);
        ComputeTarget compute = computes.get(workspace, fields.compute());
        if (fields.code().isPresent()) {
            snapshots.get(workspace, fields.code().get());
        }
        Optional<Environment> environment = fields.environment().map(ref -> environments.resolve(workspace, "environment", ref));
        // Without a scoring script the model runs in the server's JVM, which only a target on the server's host does.
        workloads.check(compute, WorkloadNeeds.service(environment, fields.scoringScript().isPresent() ? Optional.empty()
                : Optional.of("a deployment without code_configuration (a scoring script)")));
        if (environment.isPresent() && fields.scoringScript().isEmpty()) {
            throw AtelierException.invalidParameter("'environment' is for scoring scripts; add code_configuration or remove environment");
        }
        if (fields.scoringScript().isEmpty()) {
            requireJavaNativeFlavor(files, version);
        }
        return new DeploymentSpec(fields.model(), version.name(), version.version(), fields.code(), fields.scoringScript(),
                environment.map(Environment::reference), compute.name(), fields.instanceCount(), fields.requestSettings(),
                fields.environmentVariables(), fields.dataCollector(), fields.description());
    }

    /**
     * {@code models:/...}, or Azure's {@code azureml:name:version} / {@code azureml:name@label}; batch deployments resolve
     * their {@code model} here too.
     */
    public ModelVersion resolveModel(String workspace, String model) {
        Matcher azure = AZURE_MODEL.matcher(model);
        String uri = model;
        if (azure.matches()) {
            uri = "models:/" + azure.group(1) + (azure.group(2) != null ? "/" + azure.group(2)
                    : azure.group(3) != null ? "@" + azure.group(3) : "/latest");
        } else if (!model.startsWith("models:/")) {
            throw AtelierException.invalidParameter("Invalid value '" + model + "' for 'model': expected models:/<name>/<version>, "
                    + "models:/<name>@<alias> or azureml:<name>:<version>");
        }
        return registry.resolve(workspace, uri);
    }

    private void requireJavaNativeFlavor(ModelFiles files, ModelVersion version) {
        Optional<ModelDescription> description = registry.describe(files);
        boolean loadable = description.map(d -> d.flavors().keySet().stream().anyMatch(runtimes.flavors()::contains)).orElse(false);
        if (!loadable) {
            throw AtelierException.invalidParameter("Model '" + version.name() + "' version " + version.version() + " has "
                    + description.map(d -> "the flavors " + d.flavors().keySet()).orElse("no MLmodel file")
                    + "; a deployment without a scoring script needs one Atelier runs in the JVM " + runtimes.flavors()
                    + " (add code_configuration with a score.py to serve it with Python)");
        }
    }
}
