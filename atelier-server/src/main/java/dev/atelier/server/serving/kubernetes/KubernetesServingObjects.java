package dev.atelier.server.serving.kubernetes;

import dev.atelier.server.compute.KubernetesSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kubernetes objects of one deployment, all named {@link KubernetesServingRef#objectName()}: a ConfigMap with
 * Atelier's scoring runner, a Secret with the secret variables and the download token, a Deployment whose pods fetch
 * the code snapshot and the model's files in an init container and then run the runner, and a ClusterIP Service
 * (port 80 to the container's {@link #CONTAINER_PORT}).
 */
public final class KubernetesServingObjects {
    public static final int CONTAINER_PORT = 8080;
    public static final String CODE_DIR = "/code";
    public static final String MODEL_DIR = "/model";
    public static final String RUNNER_DIR = "/atelier";
    public static final String RUNNER_FILE = "atelier_score_runner.py";
    /** The Secret's key (and the init container's variable) holding the download token. */
    public static final String TOKEN_KEY = "ATELIER_TOKEN";
    /**
     * Pod template annotation: a hash of the runner and the secret variables, so changing them rolls the pods. The
     * token is left out: pods read it only when they start, so a new token needs no new pods.
     */
    public static final String CONFIG_HASH_ANNOTATION = "atelier.dev/config-hash";
    static final String MAIN_CONTAINER = "main";
    static final String FETCH_CONTAINER = "fetch";

    private KubernetesServingObjects() {
    }

    static ConfigMap configMap(KubernetesServingSpec spec, String runnerScript) {
        return new ConfigMapBuilder().withNewMetadata().withName(spec.ref().objectName()).addToLabels(spec.ref().labels()).endMetadata()
                .addToData(RUNNER_FILE, runnerScript).build();
    }

    static Secret secret(KubernetesServingSpec spec) {
        return new SecretBuilder().withNewMetadata().withName(spec.ref().objectName()).addToLabels(spec.ref().labels()).endMetadata()
                .withType("Opaque").withStringData(secretData(spec)).build();
    }

    static Service service(KubernetesServingSpec spec) {
        return new ServiceBuilder().withNewMetadata().withName(spec.ref().objectName()).addToLabels(spec.ref().labels()).endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(spec.ref().selector())
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                .endSpec().build();
    }

    static Deployment deployment(KubernetesServingSpec spec, KubernetesSettings settings, String serverUrl, String fetchImage,
                                 String runnerScript) {
        String name = spec.ref().objectName();
        Map<String, Quantity> resources = new LinkedHashMap<>();
        String cpu = spec.cpu().orElse(settings.cpu());
        String memory = spec.memory().orElse(settings.memory());
        if (!cpu.isEmpty()) {
            resources.put("cpu", new Quantity(cpu));
        }
        if (!memory.isEmpty()) {
            resources.put("memory", new Quantity(memory));
        }
        ContainerBuilder main = new ContainerBuilder().withName(MAIN_CONTAINER).withImage(spec.image())
                .withEnv(mainEnv(spec))
                .addNewPort().withName("http").withContainerPort(CONTAINER_PORT).withProtocol("TCP").endPort()
                .withResources(new ResourceRequirementsBuilder().withRequests(resources).withLimits(resources).build())
                .withStartupProbe(probe(5, 120)).withReadinessProbe(probe(5, 2)).withLivenessProbe(probe(10, 3))
                .addNewVolumeMount().withName("model").withMountPath(MODEL_DIR).endVolumeMount();
        spec.code().ifPresent(code -> main.withCommand("python3", RUNNER_DIR + "/" + RUNNER_FILE, "--code", CODE_DIR,
                        "--script", code.scoringScript(), "--host", "0.0.0.0", "--port", Integer.toString(CONTAINER_PORT))
                .withWorkingDir(CODE_DIR)
                .addNewVolumeMount().withName("code").withMountPath(CODE_DIR).endVolumeMount()
                .addNewVolumeMount().withName("runner").withMountPath(RUNNER_DIR).withReadOnly(true).endVolumeMount());
        Container fetch = new ContainerBuilder().withName(FETCH_CONTAINER).withImage(fetchImage)
                .withCommand("/bin/sh", "-c", ServingFetchScript.of(spec, serverUrl))
                .withEnv(spec.token().isPresent() ? List.of(secretVariable(TOKEN_KEY, name)) : List.of())
                .addNewVolumeMount().withName("code").withMountPath(CODE_DIR).endVolumeMount()
                .addNewVolumeMount().withName("model").withMountPath(MODEL_DIR).endVolumeMount()
                .build();
        return new DeploymentBuilder().withNewMetadata().withName(name).addToLabels(spec.ref().labels()).endMetadata()
                .withNewSpec().withReplicas(spec.instanceCount())
                .withNewSelector().withMatchLabels(spec.ref().selector()).endSelector()
                .withNewStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate()
                .endStrategy()
                .withNewTemplate().withNewMetadata().addToLabels(spec.ref().labels())
                .addToAnnotations(CONFIG_HASH_ANNOTATION, configHash(spec, runnerScript)).endMetadata()
                .withNewSpec().withServiceAccountName(settings.serviceAccount().isEmpty() ? null : settings.serviceAccount())
                .withInitContainers(fetch).withContainers(main.build())
                .addNewVolume().withName("code").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("model").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("runner").withNewConfigMap().withName(name).endConfigMap().endVolume()
                .endSpec().endTemplate().endSpec().build();
    }

    /** The main container's variables: the deployment's own, then where the model is and what is served (these win). */
    private static List<EnvVar> mainEnv(KubernetesServingSpec spec) {
        Map<String, String> plain = new TreeMap<>(spec.environmentVariables());
        plain.put("AZUREML_MODEL_DIR", MODEL_DIR);
        plain.put("ATELIER_MODEL_DIR", MODEL_DIR);
        plain.put("ATELIER_MODEL_NAME", spec.model().name());
        plain.put("ATELIER_MODEL_VERSION", spec.model().version());
        plain.put("ATELIER_WORKSPACE", spec.ref().workspace());
        plain.put("ATELIER_ENDPOINT", spec.ref().endpoint());
        plain.put("ATELIER_DEPLOYMENT", spec.ref().deployment());
        plain.put("ATELIER_PORT", Integer.toString(CONTAINER_PORT));
        List<EnvVar> env = new ArrayList<>();
        plain.forEach((variable, value) -> env.add(new EnvVarBuilder().withName(variable).withValue(value).build()));
        new TreeMap<>(spec.secretVariables()).keySet().forEach(variable -> env.add(secretVariable(variable, spec.ref().objectName())));
        return env;
    }

    private static EnvVar secretVariable(String variable, String secretName) {
        return new EnvVarBuilder().withName(variable).withNewValueFrom().withNewSecretKeyRef(variable, secretName, false).endValueFrom()
                .build();
    }

    private static Probe probe(int periodSeconds, int failureThreshold) {
        return new ProbeBuilder().withNewHttpGet().withPath("/health").withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(periodSeconds).withTimeoutSeconds(3).withFailureThreshold(failureThreshold).build();
    }

    private static Map<String, String> secretData(KubernetesServingSpec spec) {
        Map<String, String> data = new TreeMap<>(spec.secretVariables());
        spec.token().ifPresent(token -> data.put(TOKEN_KEY, token));
        return data;
    }

    private static String configHash(KubernetesServingSpec spec, String runnerScript) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(runnerScript.getBytes(StandardCharsets.UTF_8));
            new TreeMap<>(spec.secretVariables()).forEach((key, value) -> digest.update((key + "\u0000" + value + "\u0000").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
