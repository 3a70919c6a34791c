package dev.atelier.server.jobs;

import dev.atelier.server.compute.KubernetesSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes objects of one job: a Secret holding the secret variables (the job's secrets and
 * its MLflow token) and a batch/v1 Job whose init container fetches the code snapshot (and input
 * snapshots) from the server as zip files into {@code /code} (and {@code /inputs/<name>}), then
 * runs the command with {@code sh -c} in the environment's image, working in {@code /code}.
 */
final class KubernetesJobSpec {
    static final String CODE_DIR = "/code";
    static final String INPUTS_DIR = "/inputs";
    static final String JOB_LABEL = "atelier.dev/job";
    static final String WORKSPACE_LABEL = "atelier.dev/workspace";

    private KubernetesJobSpec() {
    }

    /** A DNS-1123 name for the job's objects: {@code atelier-<job>}, lowercase, at most 63 characters. */
    static String objectName(Job job) {
        String base = ("atelier-" + job.workspace() + "-" + job.name()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        String hash = Integer.toHexString((job.workspace() + "/" + job.name()).hashCode());
        if (base.length() > 54) {
            base = base.substring(0, 54);
        }
        return (base.replaceAll("-+$", "") + "-" + hash).replaceAll("--+", "-");
    }

    static Secret secret(Job job, String name, Map<String, String> secretVariables) {
        return new SecretBuilder().withNewMetadata().withName(name).addToLabels(labels(job)).endMetadata()
                .withType("Opaque").withStringData(secretVariables).build();
    }

    static io.fabric8.kubernetes.api.model.batch.v1.Job job(Job job, JobSpec spec, JobLaunch launch, KubernetesSettings settings,
                                                          String serverUrl, String fetchImage, String objectName,
                                                          Set<String> secretVariables) {
        List<EnvVar> env = new ArrayList<>();
        launch.variables().forEach((variable, value) -> env.add(secretVariables.contains(variable)
                ? new EnvVarBuilder().withName(variable).withNewValueFrom().withNewSecretKeyRef(variable, objectName, false).endValueFrom().build()
                : new EnvVarBuilder().withName(variable).withValue(value).build()));
        String cpu = spec.command().cpu().orElse(settings.cpu());
        String memory = spec.command().memory().orElse(settings.memory());
        Map<String, Quantity> resources = new LinkedHashMap<>();
        if (!cpu.isEmpty()) {
            resources.put("cpu", new Quantity(cpu));
        }
        if (!memory.isEmpty()) {
            resources.put("memory", new Quantity(memory));
        }
        Container main = new ContainerBuilder().withName("main")
                .withImage(launch.environment().orElseThrow().image().orElseThrow())
                .withCommand("/bin/sh", "-c", launch.command())
                .withWorkingDir(CODE_DIR)
                .withEnv(env)
                .withResources(new ResourceRequirementsBuilder().withRequests(resources).withLimits(resources).build())
                .addNewVolumeMount().withName("code").withMountPath(CODE_DIR).endVolumeMount()
                .addNewVolumeMount().withName("inputs").withMountPath(INPUTS_DIR).endVolumeMount()
                .build();
        List<EnvVar> fetchEnv = env.stream().filter(var -> var.getName().equals(JobLaunch.TOKEN_VARIABLE)).toList();
        Container fetch = new ContainerBuilder().withName("fetch-snapshot")
                .withImage(fetchImage)
                .withCommand("/bin/sh", "-c", fetchScript(job, spec, serverUrl))
                .withEnv(fetchEnv)
                .addNewVolumeMount().withName("code").withMountPath(CODE_DIR).endVolumeMount()
                .addNewVolumeMount().withName("inputs").withMountPath(INPUTS_DIR).endVolumeMount()
                .build();
        return new JobBuilder().withNewMetadata().withName(objectName).addToLabels(labels(job)).endMetadata()
                .withNewSpec().withBackoffLimit(0).withActiveDeadlineSeconds(spec.command().timeoutSeconds().orElse(null))
                .withNewTemplate().withNewMetadata().addToLabels(labels(job)).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .withServiceAccountName(settings.serviceAccount().isEmpty() ? null : settings.serviceAccount())
                .withInitContainers(fetch).withContainers(main)
                .addNewVolume().withName("code").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("inputs").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().endTemplate().endSpec().build();
    }

    /** {@code wget} each snapshot's zip (with the job's token when there is one) and unpack it. */
    static String fetchScript(Job job, JobSpec spec, String serverUrl) {
        String base = serverUrl + ("default".equals(job.workspace()) ? "" : "/w/" + job.workspace()) + "/api/v1/snapshots/";
        StringBuilder script = new StringBuilder("set -e; AUTH=''; if [ -n \"$MLFLOW_TRACKING_TOKEN\" ]; then "
                + "AUTH=\"Authorization: Bearer $MLFLOW_TRACKING_TOKEN\"; fi; ");
        spec.command().codeSnapshot().ifPresent(id -> script.append(fetch(base + id + "/zip", CODE_DIR)));
        spec.command().inputs().forEach((name, input) -> {
            if (input instanceof JobInput.Data data) {
                script.append(fetch(base + data.snapshotId() + "/zip", INPUTS_DIR + "/" + name));
            }
        });
        return script.append("mkdir -p ").append(CODE_DIR).append("/outputs").toString();
    }

    private static String fetch(String url, String folder) {
        return "mkdir -p " + folder + "; wget -q ${AUTH:+--header \"$AUTH\"} -O /tmp/s.zip '" + url + "'; unzip -o -q /tmp/s.zip -d "
                + folder + "; rm -f /tmp/s.zip; ";
    }

    private static Map<String, String> labels(Job job) {
        return Map.of(JOB_LABEL, objectName(job), WORKSPACE_LABEL, job.workspace());
    }
}
