package dev.atelier.server.compute.kubernetes;

import dev.atelier.server.compute.ServiceStatus;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a service workload's {@link ServiceStatus} from its Deployment and pods. A pod fails when a container waits for
 * a reason that does not pass by itself (an image that cannot be pulled, a crash loop, a bad configuration); the
 * Deployment fails when it missed its progress deadline or cannot create pods. At most three reasons are reported.
 */
final class KubernetesServiceStatus {
    private static final Set<String> FAILING_REASONS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
            "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");
    private static final int MAX_REASONS = 3;

    private KubernetesServiceStatus() {
    }

    static ServiceStatus read(Deployment deployment, List<Pod> pods) {
        int desired = deployment.getSpec() == null || deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        DeploymentStatus status = deployment.getStatus();
        int ready = status == null ? 0 : count(status.getReadyReplicas());
        int updated = status == null ? 0 : count(status.getUpdatedReplicas());
        int total = status == null ? 0 : count(status.getReplicas());
        long generation = deployment.getMetadata().getGeneration() == null ? 0 : deployment.getMetadata().getGeneration();
        long observed = status == null || status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
        boolean rolledOut = observed >= generation && updated >= desired && ready >= desired && total <= updated;
        Set<String> reasons = new LinkedHashSet<>();
        if (status != null && status.getConditions() != null) {
            for (DeploymentCondition condition : status.getConditions()) {
                boolean deadline = "Progressing".equals(condition.getType()) && "False".equals(condition.getStatus());
                boolean replicaFailure = "ReplicaFailure".equals(condition.getType()) && "True".equals(condition.getStatus());
                if (deadline || replicaFailure) {
                    reasons.add(join(condition.getReason(), condition.getMessage()));
                }
            }
        }
        pods.stream().sorted(Comparator.comparing(pod -> pod.getMetadata().getName())).forEach(pod -> reasons.addAll(podFailures(pod)));
        Optional<String> failure = reasons.isEmpty() ? Optional.empty()
                : Optional.of(String.join("; ", reasons.stream().limit(MAX_REASONS).toList()));
        return new ServiceStatus(true, desired, ready, updated, rolledOut, failure);
    }

    private static List<String> podFailures(Pod pod) {
        List<String> reasons = new ArrayList<>();
        if (pod.getStatus() == null) {
            return reasons;
        }
        String name = pod.getMetadata().getName();
        List<ContainerStatus> init = pod.getStatus().getInitContainerStatuses();
        List<ContainerStatus> main = pod.getStatus().getContainerStatuses();
        for (ContainerStatus container : init == null ? List.<ContainerStatus>of() : init) {
            containerFailure(container).ifPresent(reason -> reasons.add("pod " + name + ": downloading its files failed: " + reason));
        }
        for (ContainerStatus container : main == null ? List.<ContainerStatus>of() : main) {
            containerFailure(container).ifPresent(reason -> reasons.add("pod " + name + ": container " + container.getName() + ": " + reason));
        }
        return reasons;
    }

    private static Optional<String> containerFailure(ContainerStatus container) {
        ContainerStateWaiting waiting = container.getState() == null ? null : container.getState().getWaiting();
        if (waiting == null || !FAILING_REASONS.contains(waiting.getReason())) {
            return Optional.empty();
        }
        String reason = join(waiting.getReason(), waiting.getMessage());
        ContainerStateTerminated last = container.getLastState() == null ? null : container.getLastState().getTerminated();
        if (last != null && last.getExitCode() != null) {
            reason += " (last exit code " + last.getExitCode() + (last.getReason() == null ? "" : ", " + last.getReason())
                    + ")";
        }
        return Optional.of(reason);
    }

    private static String join(String reason, String message) {
        String head = reason == null ? "" : reason;
        return message == null || message.isBlank() ? head : head + ": " + message;
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }
}
