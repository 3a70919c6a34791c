package dev.atelier.server.compute.kubernetes;

import dev.atelier.server.compute.ServiceFiles;
import dev.atelier.server.compute.ServiceSpec;

import dev.atelier.server.compute.KubernetesSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
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
 * The Kubernetes objects of one service workload, all named {@link ServiceNames#objectName}: a ConfigMap with its
 * text files, a Secret with the secret variables and the download token, a Deployment whose pods fetch the remote
 * files in an init container and then run the command in the image, and a ClusterIP Service (port 80 to the
 * container's {@link #CONTAINER_PORT}). Files {@code <name>} are the folder {@code /<name>} (volume {@code <name>}).
 */
final class KubernetesServiceObjects {
    static final int CONTAINER_PORT = 8080;
    static final String HOST = "0.0.0.0";
    /** The Secret's key (and the init container's variable) holding the download token. */
    static final String TOKEN_KEY = "ATELIER_TOKEN";
    /**
     * Pod template annotation: a hash of the text files and the secret variables, so changing them rolls the pods. The
     * token is left out: pods read it only when they start, so a new token needs no new pods.
     */
    static final String CONFIG_HASH_ANNOTATION = "atelier.dev/config-hash";
    static final String MAIN_CONTAINER = "main";
    static final String FETCH_CONTAINER = "fetch";
    /** The size a new claim of kept files asks for; an operator may grow it later, Atelier never replaces a claim. */
    static final String KEPT_FILES_SIZE = "10Gi";
    /**
     * The pod's fsGroup when it mounts kept files, so that a non-root main container can write in them: GID 100, the
     * group Jupyter's docker-stacks images run their user in.
     */
    static final long KEPT_FILES_GROUP = 100;

    private KubernetesServiceObjects() {
    }

    /** Where files {@code name} are in the pod. */
    static String folder(String name) {
        return "/" + name;
    }

    static Map<String, String> folders(ServiceSpec spec) {
        Map<String, String> folders = new LinkedHashMap<>();
        spec.files().forEach(files -> folders.put(files.name(), folder(files.name())));
        return folders;
    }

    static ConfigMap configMap(ServiceSpec spec) {
        Map<String, String> data = new TreeMap<>();
        texts(spec).forEach(text -> data.put(text.file(), text.content()));
        return new ConfigMapBuilder().withNewMetadata().withName(name(spec)).addToLabels(labels(spec)).endMetadata()
                .addToData(data).build();
    }

    static Secret secret(ServiceSpec spec) {
        return new SecretBuilder().withNewMetadata().withName(name(spec)).addToLabels(labels(spec)).endMetadata()
                .withType("Opaque").withStringData(secretData(spec)).build();
    }

    static Service service(ServiceSpec spec) {
        return new ServiceBuilder().withNewMetadata().withName(name(spec)).addToLabels(labels(spec)).endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(ServiceNames.selector(spec.id()))
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                .endSpec().build();
    }

    static Deployment deployment(ServiceSpec spec, KubernetesSettings settings, String serverUrl, String fetchImage) {
        String name = name(spec);
        Map<String, Quantity> resources = new LinkedHashMap<>();
        String cpu = spec.cpu().orElse(settings.cpu());
        String memory = spec.memory().orElse(settings.memory());
        if (!cpu.isEmpty()) {
            resources.put("cpu", new Quantity(cpu));
        }
        if (!memory.isEmpty()) {
            resources.put("memory", new Quantity(memory));
        }
        Map<String, String> folders = folders(spec);
        List<VolumeMount> mounts = new ArrayList<>();
        List<VolumeMount> fetched = new ArrayList<>();
        List<Volume> volumes = new ArrayList<>();
        for (ServiceFiles files : spec.files()) {
            if (files.kept().isPresent()) {
                // files the pod writes in, kept across pods in the claim of their key (ServiceFiles#kept)
                mounts.add(new VolumeMountBuilder().withName(files.name()).withMountPath(folder(files.name())).build());
                volumes.add(new VolumeBuilder().withName(files.name()).withNewPersistentVolumeClaim()
                        .withClaimName(ServiceNames.claimName(spec.id().workspace(), files.kept().get())).endPersistentVolumeClaim().build());
                continue;
            }
            boolean text = files.remote().get() instanceof ServiceFiles.Remote.Text;
            VolumeMount mount = new VolumeMountBuilder().withName(files.name()).withMountPath(folder(files.name()))
                    .withReadOnly(text ? Boolean.TRUE : null).build();
            mounts.add(mount);
            if (text) {
                ServiceFiles.Remote.Text file = (ServiceFiles.Remote.Text) files.remote().get();
                volumes.add(new VolumeBuilder().withName(files.name()).withNewConfigMap().withName(name)
                        .addNewItem().withKey(file.file()).withPath(file.file()).endItem().endConfigMap().build());
            } else {
                fetched.add(mount);
                volumes.add(new VolumeBuilder().withName(files.name()).withNewEmptyDir().endEmptyDir().build());
            }
        }
        ContainerBuilder main = new ContainerBuilder().withName(MAIN_CONTAINER).withImage(spec.image().orElseThrow())
                .withEnv(mainEnv(spec, folders))
                .addNewPort().withName("http").withContainerPort(CONTAINER_PORT).withProtocol("TCP").endPort()
                .withResources(new ResourceRequirementsBuilder().withRequests(resources).withLimits(resources).build())
                .withStartupProbe(probe(spec, 5, 120)).withReadinessProbe(probe(spec, 5, 2)).withLivenessProbe(probe(spec, 10, 3))
                .withVolumeMounts(mounts);
        if (!spec.command().isEmpty()) {
            main.withCommand(spec.command().stream().map(part -> ServiceSpec.place(part, HOST, CONTAINER_PORT, folders)).toList());
        }
        spec.workingFolder().ifPresent(working -> main.withWorkingDir(folder(working)));
        List<Container> init = new ArrayList<>();
        if (ServiceFetchScript.needed(spec)) {
            init.add(new ContainerBuilder().withName(FETCH_CONTAINER).withImage(fetchImage)
                    .withCommand("/bin/sh", "-c", ServiceFetchScript.of(spec, serverUrl))
                    .withEnv(spec.token().isPresent() ? List.of(secretVariable(TOKEN_KEY, name)) : List.of())
                    .withVolumeMounts(fetched)
                    .build());
        }
        return new DeploymentBuilder().withNewMetadata().withName(name).addToLabels(labels(spec)).endMetadata()
                .withNewSpec().withReplicas(spec.replicas())
                .withNewSelector().withMatchLabels(ServiceNames.selector(spec.id())).endSelector()
                .withNewStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate()
                .endStrategy()
                .withNewTemplate().withNewMetadata().addToLabels(labels(spec))
                .addToAnnotations(CONFIG_HASH_ANNOTATION, configHash(spec)).endMetadata()
                .withNewSpec().withServiceAccountName(settings.serviceAccount().isEmpty() ? null : settings.serviceAccount())
                .withSecurityContext(claims(spec).isEmpty() ? null : new PodSecurityContextBuilder().withFsGroup(KEPT_FILES_GROUP).build())
                .withInitContainers(init).withContainers(main.build())
                .withVolumes(volumes)
                .endSpec().endTemplate().endSpec().build();
    }

    /**
     * The claims keeping the spec's {@link ServiceFiles#kept} files: one per key, {@link #KEPT_FILES_SIZE} from the
     * cluster's default storage class, labelled with the workspace but not with the workload (they outlive it).
     */
    static List<PersistentVolumeClaim> claims(ServiceSpec spec) {
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        for (ServiceFiles files : spec.files()) {
            files.kept().ifPresent(key -> claims.add(new PersistentVolumeClaimBuilder().withNewMetadata()
                    .withName(ServiceNames.claimName(spec.id().workspace(), key))
                    .addToLabels(ServiceNames.claimLabels(spec.id().workspace())).endMetadata()
                    .withNewSpec().withAccessModes("ReadWriteOnce")
                    .withNewResources().addToRequests("storage", new Quantity(KEPT_FILES_SIZE)).endResources()
                    .endSpec().build()));
        }
        return claims;
    }

    private static String name(ServiceSpec spec) {
        return ServiceNames.objectName(spec.id());
    }

    private static Map<String, String> labels(ServiceSpec spec) {
        return ServiceNames.labels(spec.id(), spec.tags());
    }

    private static List<ServiceFiles.Remote.Text> texts(ServiceSpec spec) {
        return spec.files().stream().flatMap(files -> files.remote().stream())
                .filter(ServiceFiles.Remote.Text.class::isInstance).map(ServiceFiles.Remote.Text.class::cast).toList();
    }

    /** The main container's variables, placeholders replaced; secret ones read from the Secret. */
    private static List<EnvVar> mainEnv(ServiceSpec spec, Map<String, String> folders) {
        List<EnvVar> env = new ArrayList<>();
        new TreeMap<>(spec.variables()).forEach((variable, value) -> env.add(new EnvVarBuilder().withName(variable)
                .withValue(ServiceSpec.place(value, HOST, CONTAINER_PORT, folders)).build()));
        new TreeMap<>(spec.secretVariables()).keySet().forEach(variable -> env.add(secretVariable(variable, name(spec))));
        return env;
    }

    private static EnvVar secretVariable(String variable, String secretName) {
        return new EnvVarBuilder().withName(variable).withNewValueFrom().withNewSecretKeyRef(variable, secretName, false).endValueFrom()
                .build();
    }

    private static Probe probe(ServiceSpec spec, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder().withNewHttpGet().withPath(spec.healthPath()).withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(periodSeconds).withTimeoutSeconds(3).withFailureThreshold(failureThreshold).build();
    }

    private static Map<String, String> secretData(ServiceSpec spec) {
        Map<String, String> data = new TreeMap<>(spec.secretVariables());
        spec.token().ifPresent(token -> data.put(TOKEN_KEY, token));
        return data;
    }

    private static String configHash(ServiceSpec spec) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (ServiceFiles.Remote.Text text : texts(spec)) {
                digest.update((text.file() + "\u0000" + text.content() + "\u0000").getBytes(StandardCharsets.UTF_8));
            }
            new TreeMap<>(spec.secretVariables()).forEach((key, value) -> digest.update((key + "\u0000" + value + "\u0000").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
