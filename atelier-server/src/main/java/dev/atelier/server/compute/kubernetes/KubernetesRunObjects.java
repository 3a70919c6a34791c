package dev.atelier.server.compute.kubernetes;

import dev.atelier.server.compute.KubernetesSettings;
import dev.atelier.server.compute.RunSpec;
import dev.atelier.server.compute.Staged;
import dev.atelier.server.compute.WorkloadId;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects of one run-to-completion workload: a Secret holding its secret variables (and its token)
 * and a batch/v1 Job whose init container fetches the staged folders from the server as zip files into
 * {@code /code} and {@code /inputs/<name>} and leaves a static busybox in {@link PodScripts#TOOLS_DIR}; the main
 * container runs the command with {@code sh -c} in the environment's image, working in {@code /code}, and, when the
 * workload names an upload, posts {@code /code/outputs} to the server at its end ({@link PodScripts}).
 */
final class KubernetesRunObjects {
    static final String CODE_DIR = "/code";
    static final String INPUTS_DIR = "/inputs";
    /** The variable holding the workload's token in the init container. */
    static final String TOKEN_VARIABLE = "ATELIER_WORKLOAD_TOKEN";
    public static final String RUN_LABEL = "atelier.dev/job";
    public static final String WORKSPACE_LABEL = "atelier.dev/workspace";

    private KubernetesRunObjects() {
    }

    static Secret secret(RunSpec spec, String name) {
        Map<String, String> data = new LinkedHashMap<>();
        spec.secretVariables().forEach(variable -> data.put(variable, spec.variables().get(variable)));
        spec.token().ifPresent(token -> data.put(TOKEN_VARIABLE, token));
        return new SecretBuilder().withNewMetadata().withName(name).addToLabels(labels(spec.id())).endMetadata()
                .withType("Opaque").withStringData(data).build();
    }

    static Job job(RunSpec spec, KubernetesSettings settings, String serverUrl, String fetchImage, String objectName) {
        List<EnvVar> env = new ArrayList<>();
        spec.variables().forEach((variable, value) -> env.add(spec.secretVariables().contains(variable)
                ? secretRef(variable, variable, objectName)
                : new EnvVarBuilder().withName(variable).withValue(value).build()));
        List<EnvVar> tokenEnv = spec.token().isPresent() ? List.of(secretRef(PodScripts.TOKEN_VARIABLE, TOKEN_VARIABLE, objectName))
                : List.of();
        if (!spec.variables().containsKey(PodScripts.TOKEN_VARIABLE)) {
            env.addAll(tokenEnv);
        }
        String base = serverUrl + ("default".equals(spec.id().workspace()) ? "" : "/w/" + spec.id().workspace());
        List<String> command = spec.outputsUpload()
                .map(upload -> PodScripts.mainCommand(spec.command(), CODE_DIR + "/outputs", base + upload, PodScripts.TOOLS_DIR))
                .orElse(List.of("/bin/sh", "-c", spec.command()));
        String cpu = spec.cpu().orElse(settings.cpu());
        String memory = spec.memory().orElse(settings.memory());
        Map<String, Quantity> resources = new LinkedHashMap<>();
        if (!cpu.isEmpty()) {
            resources.put("cpu", new Quantity(cpu));
        }
        if (!memory.isEmpty()) {
            resources.put("memory", new Quantity(memory));
        }
        Container main = new ContainerBuilder().withName("main")
                .withImage(spec.environment().orElseThrow().image().orElseThrow())
                .withCommand(command)
                .withWorkingDir(CODE_DIR)
                .withEnv(env)
                .withResources(new ResourceRequirementsBuilder().withRequests(resources).withLimits(resources).build())
                .addNewVolumeMount().withName("code").withMountPath(CODE_DIR).endVolumeMount()
                .addNewVolumeMount().withName("inputs").withMountPath(INPUTS_DIR).endVolumeMount()
                .addNewVolumeMount().withName("tools").withMountPath(PodScripts.TOOLS_DIR).endVolumeMount()
                .build();
        Container fetch = new ContainerBuilder().withName("fetch-snapshot")
                .withImage(fetchImage)
                .withCommand(fetchCommand(spec, base))
                .withEnv(tokenEnv)
                .addNewVolumeMount().withName("code").withMountPath(CODE_DIR).endVolumeMount()
                .addNewVolumeMount().withName("inputs").withMountPath(INPUTS_DIR).endVolumeMount()
                .addNewVolumeMount().withName("tools").withMountPath(PodScripts.TOOLS_DIR).endVolumeMount()
                .build();
        return new JobBuilder().withNewMetadata().withName(objectName).addToLabels(labels(spec.id())).endMetadata()
                .withNewSpec().withBackoffLimit(0).withActiveDeadlineSeconds(spec.timeout().map(timeout -> timeout.toSeconds()).orElse(null))
                .withNewTemplate().withNewMetadata().addToLabels(labels(spec.id())).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .withServiceAccountName(settings.serviceAccount().isEmpty() ? null : settings.serviceAccount())
                .withInitContainers(fetch).withContainers(main)
                .addNewVolume().withName("code").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("inputs").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("tools").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().endTemplate().endSpec().build();
    }

    private static EnvVar secretRef(String variable, String key, String secretName) {
        return new EnvVarBuilder().withName(variable).withNewValueFrom().withNewSecretKeyRef(key, secretName, false).endValueFrom().build();
    }

    /** The init container's command: fetch each staged folder's zip, then create the outputs folders. */
    static List<String> fetchCommand(RunSpec spec, String base) {
        List<PodScripts.Fetch> fetches = spec.staged().stream().map(staged -> new PodScripts.Fetch(base + staged.remoteZip(),
                switch (staged) {
                    case Staged.Code code -> CODE_DIR;
                    case Staged.Input input -> INPUTS_DIR + "/" + input.name();
                })).toList();
        List<String> command = new ArrayList<>(PodScripts.fetchCommand(fetches, PodScripts.TOOLS_DIR));
        StringBuilder folders = new StringBuilder("mkdir -p ").append(PodScripts.quote(CODE_DIR + "/outputs"));
        spec.outputFolders().forEach(output -> folders.append(' ').append(PodScripts.quote(CODE_DIR + "/outputs/" + output)));
        command.set(command.size() - 1, command.getLast() + folders + "\n");
        return command;
    }

    static Map<String, String> labels(WorkloadId id) {
        return Map.of(RUN_LABEL, id.objectName(), WORKSPACE_LABEL, id.workspace());
    }
}
