package dev.atelier.server.compute.kubernetes;

import dev.atelier.server.environments.ImageBuild;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes objects of one image build ({@link ImageBuilds}), following BuildKit's rootless Job example
 * (https://github.com/moby/buildkit/tree/master/examples/kubernetes): a batch/v1 Job whose init container (the server's
 * fetch image, {@link PodScripts}) downloads the context snapshot's zip into the {@code emptyDir} {@code /context}, and
 * whose {@value #CONTAINER} container runs {@code buildctl-daemonless.sh} in {@value #BUILDKIT_IMAGE} as user 1000 with
 * seccomp and AppArmor unconfined, pushing the image; the Secret holds the workload's token (for the download) and the
 * registry's docker {@code config.json}, mounted at {@code /home/user/.docker/config.json}. Pure functions.
 */
final class ImageBuildObjects {
    static final String BUILDKIT_IMAGE = "moby/buildkit:rootless";
    static final String CONTAINER = "build";
    static final String CONTEXT_DIR = "/context";
    /** Label of a build Job's pods: the Job's name. */
    static final String BUILD_LABEL = "atelier.dev/image-build";
    /** Label of the ConfigMap remembering a digest's pushed images. */
    static final String IMAGE_LABEL = "atelier.dev/image";
    /** Annotation of a build Job: the reference it pushes. */
    static final String REFERENCE_ANNOTATION = "atelier.dev/image-reference";
    static final String DOCKER_CONFIG_KEY = "config.json";
    /** A build Job left behind (its caller stopped, the server died) is deleted by the cluster this long after its end. */
    static final int TTL_SECONDS = 3600;

    private ImageBuildObjects() {
    }

    static String jobName(String digest) {
        return "atelier-build-" + digest;
    }

    static String configMapName(String digest) {
        return "atelier-image-" + digest;
    }

    /** A ConfigMap data key for {@code reference} (keys allow letters, digits, {@code -}, {@code _} and {@code .}). */
    static String dataKey(String reference) {
        return reference.replaceAll("[^-._a-zA-Z0-9]", "_");
    }

    /** The reference a build Job pushes, or null for a Job without the annotation. */
    static String referenceOf(Job job) {
        Map<String, String> annotations = job.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(REFERENCE_ANNOTATION);
    }

    /** The build's Secret, owned by its Job (the cluster deletes it with the Job). */
    static Secret secret(Job job, Optional<String> token, Optional<String> dockerConfig) {
        Map<String, String> data = new LinkedHashMap<>();
        token.ifPresent(value -> data.put(KubernetesRunObjects.TOKEN_VARIABLE, value));
        dockerConfig.ifPresent(value -> data.put(DOCKER_CONFIG_KEY, value));
        return new SecretBuilder().withNewMetadata().withName(job.getMetadata().getName())
                .addToLabels(BUILD_LABEL, job.getMetadata().getName())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                        .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid()).build())
                .endMetadata().withType("Opaque").withStringData(data).build();
    }

    /**
     * The build Job.
     *
     * @param base         the server's URL for the workspace the context snapshot is in
     * @param withToken    whether the Secret holds a token the download sends
     * @param dockerConfig whether the Secret holds the registry's {@code config.json}
     */
    static Job job(String name, String reference, ImageBuild build, String base, String fetchImage, boolean withToken,
                   boolean dockerConfig, String serviceAccount) {
        List<EnvVar> tokenEnv = withToken ? List.of(new EnvVarBuilder().withName(PodScripts.TOKEN_VARIABLE).withNewValueFrom()
                .withNewSecretKeyRef(KubernetesRunObjects.TOKEN_VARIABLE, name, false).endValueFrom().build()) : List.of();
        Container fetch = new ContainerBuilder().withName("fetch-context")
                .withImage(fetchImage)
                .withCommand(PodScripts.fetchCommand(List.of(new PodScripts.Fetch(base + "/api/v1/snapshots/"
                        + build.contextSnapshot() + "/zip", CONTEXT_DIR)), PodScripts.TOOLS_DIR))
                .withEnv(tokenEnv)
                .addNewVolumeMount().withName("context").withMountPath(CONTEXT_DIR).endVolumeMount()
                .addNewVolumeMount().withName("tools").withMountPath(PodScripts.TOOLS_DIR).endVolumeMount()
                .build();
        List<VolumeMount> mounts = new ArrayList<>(List.of(
                new VolumeMountBuilder().withName("context").withMountPath(CONTEXT_DIR).withReadOnly(true).build(),
                // Not the image's VOLUME: rootless BuildKit cannot use it on nodes that mount it nosuid,nodev.
                new VolumeMountBuilder().withName("buildkitd").withMountPath("/home/user/.local/share/buildkit").build()));
        List<Volume> volumes = new ArrayList<>(List.of(
                new VolumeBuilder().withName("context").withNewEmptyDir().endEmptyDir().build(),
                new VolumeBuilder().withName("tools").withNewEmptyDir().endEmptyDir().build(),
                new VolumeBuilder().withName("buildkitd").withNewEmptyDir().endEmptyDir().build()));
        if (dockerConfig) {
            mounts.add(new VolumeMountBuilder().withName("docker-config").withMountPath("/home/user/.docker").withReadOnly(true).build());
            volumes.add(new VolumeBuilder().withName("docker-config").withNewSecret().withSecretName(name)
                    .addNewItem().withKey(DOCKER_CONFIG_KEY).withPath(DOCKER_CONFIG_KEY).endItem().endSecret().build());
        }
        Container buildkit = new ContainerBuilder().withName(CONTAINER)
                .withImage(BUILDKIT_IMAGE)
                .withCommand(buildCommand(reference, build))
                .addNewEnv().withName("BUILDKITD_FLAGS").withValue("--oci-worker-no-process-sandbox").endEnv()
                .withNewSecurityContext()
                .withNewSeccompProfile().withType("Unconfined").endSeccompProfile()
                .withNewAppArmorProfile().withType("Unconfined").endAppArmorProfile()
                .withRunAsUser(1000L).withRunAsGroup(1000L)
                .endSecurityContext()
                .withVolumeMounts(mounts)
                .build();
        Map<String, String> labels = Map.of(BUILD_LABEL, name);
        return new JobBuilder().withNewMetadata().withName(name).addToLabels(labels)
                .addToAnnotations(REFERENCE_ANNOTATION, reference).endMetadata()
                .withNewSpec().withBackoffLimit(0).withTtlSecondsAfterFinished(TTL_SECONDS)
                .withNewTemplate().withNewMetadata().addToLabels(labels)
                // For clusters older than 1.30, which read AppArmor from this annotation only.
                .addToAnnotations("container.apparmor.security.beta.kubernetes.io/" + CONTAINER, "unconfined").endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .withServiceAccountName(serviceAccount.isEmpty() ? null : serviceAccount)
                .withInitContainers(fetch).withContainers(buildkit).withVolumes(volumes)
                .endSpec().endTemplate().endSpec().build();
    }

    /** {@code buildctl-daemonless.sh build ...} pushing {@code reference}. */
    static List<String> buildCommand(String reference, ImageBuild build) {
        return List.of("buildctl-daemonless.sh", "build", "--frontend", "dockerfile.v0",
                "--local", "context=" + CONTEXT_DIR, "--local", "dockerfile=" + CONTEXT_DIR,
                "--opt", "filename=" + build.dockerfilePath(),
                "--output", "type=image,name=" + reference + ",push=true");
    }
}
