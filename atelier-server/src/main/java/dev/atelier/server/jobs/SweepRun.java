package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Drives one sweep job on the scheduler's thread ({@link #tick}): keeps up to
 * {@code max_concurrent_trials} trials queued or running, stops trials the early termination
 * policy rejects, and when every trial has ended records the best trial on the sweep's job and
 * run. All its state is in the database (trials are jobs named by index), so another server can
 * resume a sweep whose driver stopped.
 */
final class SweepRun extends RunningJob {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SweepRun.class);
    static final String BEST_TRIAL_TAG = "atelier.sweep.best_trial";
    static final String BEST_RUN_TAG = "atelier.sweep.best_run_id";

    private final Job sweep;
    private final JobSpec.Sweep spec;
    private final SweepSpec search;
    private final JobService service;
    private final JobExecution execution;
    private final long startedAt;
    private final Map<String, Integer> evaluated = new HashMap<>();

    SweepRun(Job sweep, JobService service, JobExecution execution) {
        this.sweep = requireNonNull(sweep, "sweep is null");
        this.spec = (JobSpec.Sweep) JobDocument.parse(sweep.spec());
        this.search = spec.sweep();
        this.service = requireNonNull(service, "service is null");
        this.execution = requireNonNull(execution, "execution is null");
        this.startedAt = sweep.startedAt() != null ? sweep.startedAt() : execution.clock().millis();
    }

    @Override
    Job job() {
        return sweep;
    }



    private static final long TICK_MILLIS = 300;
    private long nextTick;

    @Override
    void poll() {
        long now = System.nanoTime() / 1_000_000;
        if (now < nextTick) {
            return;
        }
        nextTick = now + TICK_MILLIS;
        try {
            tick();
        } catch (dev.atelier.api.AtelierException | IllegalStateException e) {
            LOG.warn("Sweep {} failed: {}", sweep.name(), e.getMessage());
            stop(JobStatus.FAILED, "The sweep failed: " + e.getMessage());
        }
    }

    /** Another server resumes it: its trials or steps are left alone, and nothing more is done here. */
    @Override
    void leaseLost() {
        markDone();
    }

    /** Hands the sweep back to the queue: its state is in the database, another server (or this one, restarted) resumes it. */
    @Override
    void shutdown(JobExecution execution) {
        execution.store().release(sweep.workspace(), sweep.name(), execution.owner());
        markDone();
    }

    void tick() {
        if (done()) {
            return;
        }
        List<Job> trials = service.store().list(sweep.workspace(), Optional.of(sweep.name()), JobService.MAX_LIST);
        List<Job> active = trials.stream().filter(trial -> !trial.status().isTerminal()).toList();
        if (stopStatus() != null) {
            active.forEach(trial -> service.cancel(sweep.workspace(), trial.name(), "The sweep " + sweep.name() + " was stopped"));
            complete(trials, stopStatus(), stopReason());
            return;
        }
        if (search.timeoutSeconds().isPresent() && execution.clock().millis() - startedAt > search.timeoutSeconds().get() * 1000) {
            active.forEach(trial -> service.cancel(sweep.workspace(), trial.name(), "The sweep reached its limits.timeout"));
            complete(trials, JobStatus.COMPLETED, "Stopped at limits.timeout of " + search.timeoutSeconds().get() + " s");
            return;
        }
        Map<String, List<Double>> reports = reports(trials);
        for (Job trial : active) {
            List<Double> own = reports.getOrDefault(trial.name(), List.of());
            if (trial.status() != JobStatus.RUNNING || trial.cancelRequested() || evaluated.getOrDefault(trial.name(), 0) == own.size()) {
                continue;
            }
            evaluated.put(trial.name(), own.size());
            EarlyTerminationRule.evaluate(search, trial.name(), reports).ifPresent(reason -> {
                execution.runs().setTags(sweep.workspace(), trial.runId(), Map.of(JobRuns.EARLY_TERMINATED_TAG, "true"));
                service.cancel(sweep.workspace(), trial.name(), reason);
            });
        }
        int running = active.size();
        int next = trials.size();
        int total = SweepSampler.trialCount(search);
        while (running < search.maxConcurrentTrials() && next < total) {
            Map<String, String> values = SweepSampler.sample(search, next).orElseThrow();
            service.submitTrial(sweep, spec, next, values);
            running++;
            next++;
        }
        if (next >= total && running == 0) {
            boolean anyCompleted = trials.stream().anyMatch(trial -> trial.status() == JobStatus.COMPLETED);
            complete(trials, anyCompleted ? JobStatus.COMPLETED : JobStatus.FAILED, anyCompleted ? null : "No trial completed");
        }
    }

    private Map<String, List<Double>> reports(List<Job> trials) {
        Map<String, List<Double>> reports = new LinkedHashMap<>();
        for (Job trial : trials) {
            if (trial.status() != JobStatus.QUEUED && trial.status() != JobStatus.PREPARING) {
                List<Double> values = execution.runs().metricValues(sweep.workspace(), trial.runId(), search.primaryMetric());
                if (!values.isEmpty()) {
                    reports.put(trial.name(), values);
                }
            }
        }
        return reports;
    }

    /** Records the best trial (by its last report of the primary metric) and ends the sweep. */
    private void complete(List<Job> trials, JobStatus status, String reason) {
        List<Job> all = service.store().list(sweep.workspace(), Optional.of(sweep.name()), JobService.MAX_LIST);
        Map<String, List<Double>> reports = reports(all.isEmpty() ? trials : all);
        ObjectNode result = Json.mapper().createObjectNode();
        result.put("primary_metric", search.primaryMetric()).put("goal", search.maximize() ? "maximize" : "minimize")
                .put("trials", all.size());
        List<String> stopped = new ArrayList<>();
        Job best = null;
        double bestValue = 0;
        for (Job trial : all) {
            if (trial.status() == JobStatus.CANCELED && trial.reason() != null && trial.reason().startsWith("early termination")) {
                stopped.add(trial.name());
            }
            List<Double> values = reports.get(trial.name());
            if (values == null) {
                continue;
            }
            double last = values.getLast();
            if (best == null || (search.maximize() ? last > bestValue : last < bestValue)) {
                best = trial;
                bestValue = last;
            }
        }
        stopped.sort(null);
        stopped.forEach(result.putArray("early_terminated")::add);
        if (best != null) {
            result.put("best_trial", best.name()).put("best_run_id", best.runId()).put("best_metric_value", bestValue);
            execution.runs().setTags(sweep.workspace(), sweep.runId(), Map.of(BEST_TRIAL_TAG, best.name(), BEST_RUN_TAG, best.runId()));
            execution.runs().logMetric(sweep.workspace(), sweep.runId(), search.primaryMetric(), bestValue, execution.clock().millis());
        }
        execution.finish(sweep, status, null, reason, result.toString());
        markDone();
    }
}
