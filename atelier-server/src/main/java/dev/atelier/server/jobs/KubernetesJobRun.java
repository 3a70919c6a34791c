package dev.atelier.server.jobs;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.KubernetesSettings;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * One job running as a Kubernetes Job. Creates its Secret and Job, polls the Job's status
 * (Preparing until a pod is active, then Running, then succeeded or failed), stops it on cancel
 * or timeout by deleting it, copies the pods' logs into the job's log at the end, and deletes
 * what it created. Thread-safe: {@link #stop} may be called from any thread.
 */
final class KubernetesJobRun extends RunningJob implements Runnable {
    private final Job job;
    private final KubernetesSettings settings;
    private final String serverUrl;
    private final String fetchImage;
    private final JobExecution execution;
    private final Supplier<KubernetesClient> clients;
    private final Duration pollInterval;
    private final JobLogSink log;

    KubernetesJobRun(Job job, KubernetesSettings settings, String serverUrl, String fetchImage, JobExecution execution,
                     Supplier<KubernetesClient> clients, Duration pollInterval) {
        this.job = requireNonNull(job, "job is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.serverUrl = requireNonNull(serverUrl, "serverUrl is null");
        this.fetchImage = requireNonNull(fetchImage, "fetchImage is null");
        this.execution = requireNonNull(execution, "execution is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
        this.log = new JobLogSink(execution.store(), job.workspace(), job.name());
    }

    @Override
    Job job() {
        return job;
    }

    @Override
    public void run() {
        String name = KubernetesJobSpec.objectName(job);
        Outcome outcome;
        Optional<RunCredentials.Issued> token = Optional.empty();
        try (KubernetesClient client = clients.get()) {
            try {
                JobSpec spec = JobDocument.parse(job.spec());
                Map<String, JobData.Resolved> stored = execution.dataInputs(job, spec);
                JobLaunch launch = execution.launch(job, spec, input -> inputPath(spec, input, stored),
                        output -> KubernetesJobSpec.CODE_DIR + "/outputs/" + output, serverUrl);
                token = launch.token();
                Map<String, String> secretVariables = new LinkedHashMap<>();
                spec.command().secrets().keySet().forEach(variable -> secretVariables.put(variable, launch.variables().get(variable)));
                token.ifPresent(issued -> secretVariables.put(JobLaunch.TOKEN_VARIABLE, issued.secret()));
                client.secrets().inNamespace(settings.namespace())
                        .resource(KubernetesJobSpec.secret(job, name, secretVariables)).create();
                client.batch().v1().jobs().inNamespace(settings.namespace())
                        .resource(KubernetesJobSpec.job(job, spec, launch, settings, serverUrl, fetchImage, name,
                                secretVariables.keySet())).create();
                log.add("system", "[atelier] Created Kubernetes Job " + settings.namespace() + "/" + name);
                log.flush();
                outcome = watch(client, name, spec.command().timeoutSeconds());
                copyLogs(client, name);
            } catch (AtelierException e) {
                outcome = new Outcome(dev.atelier.server.jobs.JobStatus.FAILED, null, e.getMessage());
            } catch (KubernetesClientException e) {
                outcome = new Outcome(dev.atelier.server.jobs.JobStatus.FAILED, null, "Kubernetes refused the job: " + e.getMessage());
            } finally {
                cleanUp(client, name);
            }
        } catch (RuntimeException e) {
            // Whatever goes wrong (no kubeconfig, cluster unreachable), the job must end recorded, or its lease would be held forever.
            outcome = new Outcome(dev.atelier.server.jobs.JobStatus.FAILED, null, "Could not reach Kubernetes: " + e.getMessage());
        }
        log.add("system", "[atelier] " + outcome.status().wireName() + (outcome.reason() == null ? "" : ": " + outcome.reason()));
        log.flush();
        execution.finishAndRevoke(job, token, outcome.status(), outcome.exitCode(), outcome.reason());
        markDone();
    }

    private String inputPath(JobSpec spec, String name, Map<String, JobData.Resolved> stored) {
        if (stored.containsKey(name)) {
            // Only direct inputs reach Kubernetes (submission refuses download ones): the URI, as is.
            return execution.data().directUri(job.workspace(), stored.get(name));
        }
        JobInput.Data data = (JobInput.Data) spec.command().inputs().get(name);
        String folder = KubernetesJobSpec.INPUTS_DIR + "/" + name;
        return data.file().map(file -> folder + "/" + file).orElse(folder);
    }

    private Outcome watch(KubernetesClient client, String name, Optional<Long> timeout) {
        long started = System.nanoTime();
        boolean running = false;
        while (true) {
            if (stopStatus() != null) {
                return new Outcome(stopStatus(), null, stopReason());
            }
            if (timeout.isPresent() && System.nanoTime() - started > Duration.ofSeconds(timeout.get()).toNanos()) {
                return new Outcome(dev.atelier.server.jobs.JobStatus.FAILED, null,
                        "Timed out: still running after limits.timeout of " + timeout.get() + " s");
            }
            io.fabric8.kubernetes.api.model.batch.v1.Job current = client.batch().v1().jobs().inNamespace(settings.namespace())
                    .withName(name).get();
            if (current == null) {
                return new Outcome(dev.atelier.server.jobs.JobStatus.FAILED, null, "The Kubernetes Job " + name + " was deleted");
            }
            JobStatus status = current.getStatus();
            if (status != null) {
                if (!running && status.getActive() != null && status.getActive() > 0) {
                    running = true;
                    execution.markRunning(job);
                }
                if (status.getSucceeded() != null && status.getSucceeded() > 0) {
                    return new Outcome(dev.atelier.server.jobs.JobStatus.COMPLETED, 0, null);
                }
                if (status.getFailed() != null && status.getFailed() > 0) {
                    String reason = status.getConditions() == null ? "" : status.getConditions().stream()
                            .filter(condition -> "Failed".equals(condition.getType()))
                            .map(JobCondition::getMessage).filter(message -> message != null).findFirst().orElse("");
                    return new Outcome(dev.atelier.server.jobs.JobStatus.FAILED, null, "The Kubernetes Job failed"
                            + (reason.isEmpty() ? "" : ": " + reason));
                }
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(dev.atelier.server.jobs.JobStatus.FAILED, null, JobScheduler.SHUTDOWN_REASON);
            }
        }
    }

    private void copyLogs(KubernetesClient client, String name) {
        for (Pod pod : client.pods().inNamespace(settings.namespace()).withLabel(KubernetesJobSpec.JOB_LABEL, name).list().getItems()) {
            try {
                String text = client.pods().inNamespace(settings.namespace()).withName(pod.getMetadata().getName())
                        .inContainer("main").getLog();
                if (text != null) {
                    text.lines().forEach(line -> log.add("stdout", line));
                }
            } catch (KubernetesClientException e) {
                log.add("system", "[atelier] Could not read the logs of pod " + pod.getMetadata().getName() + ": " + e.getMessage());
            }
        }
    }

    private void cleanUp(KubernetesClient client, String name) {
        try {
            client.batch().v1().jobs().inNamespace(settings.namespace()).withName(name)
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
            client.secrets().inNamespace(settings.namespace()).withName(name).delete();
        } catch (KubernetesClientException e) {
            log.add("system", "[atelier] Could not delete the Kubernetes objects " + name + ": " + e.getMessage());
        }
    }

    private record Outcome(dev.atelier.server.jobs.JobStatus status, Integer exitCode, String reason) {
    }
}
