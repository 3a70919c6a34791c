package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Json;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Drives one pipeline job on the scheduler's thread: when a step's inputs are ready it is reused (an equal Completed
 * step's outputs, {@link PipelinePlan.Planned#reuseKey}) or queued as a command job ({@link StepDocuments}); steps
 * downstream of one that did not complete are Skipped; when every step has ended the pipeline ends. It looks again
 * as soon as any job ends on this server ({@link JobExecution#endings}), and at least once a second. All its state is in
 * the database (step rows, step jobs named after the step), so another server resumes a pipeline whose server stopped
 * and never queues a step twice.
 */
final class PipelineRun extends RunningJob {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PipelineRun.class);
    private static final long IDLE_TICK_MILLIS = 1_000;
    /**
     * Steps queued per pass at most: the scheduler claims what is queued only between passes, so a wide pipeline queues a
     * few steps, lets them start, and goes on at the next poll.
     */
    private static final int QUEUED_PER_PASS = 4;

    private final Job pipeline;
    private final JobSpec.Pipeline spec;
    private final JobService service;
    private final JobExecution execution;
    private final PipelineSteps steps;
    private final List<String> order;
    private PipelinePlan plan;
    private long seenEndings = -1;
    private long nextTick;
    private int queuedThisPass;
    private boolean moreToQueue;

    PipelineRun(Job pipeline, JobService service, JobExecution execution) {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.spec = (JobSpec.Pipeline) JobDocument.parse(pipeline.spec());
        this.service = requireNonNull(service, "service is null");
        this.execution = requireNonNull(execution, "execution is null");
        this.steps = service.steps();
        this.order = PipelineDocument.order(spec.pipeline().steps());
    }

    @Override
    Job job() {
        return pipeline;
    }

    @Override
    void poll() {
        if (done()) {
            return;
        }
        long endings = execution.endings();
        long now = System.nanoTime() / 1_000_000;
        if (stopStatus() == null && endings == seenEndings && now < nextTick && !moreToQueue) {
            return;
        }
        seenEndings = endings;
        nextTick = now + IDLE_TICK_MILLIS;
        try {
            tick();
        } catch (AtelierException | IllegalStateException | UncheckedIOException e) {
            LOG.warn("Pipeline {}/{} failed: {}", pipeline.workspace(), pipeline.name(), e.getMessage());
            cancelSteps("The pipeline " + pipeline.name() + " failed");
            execution.finish(pipeline, JobStatus.FAILED, null, "The pipeline failed: " + e.getMessage(), null);
            markDone();
        }
    }

    /** Another server resumes it: its trials or steps are left alone, and nothing more is done here. */
    @Override
    void leaseLost() {
        markDone();
    }

    /** Hands the pipeline back to the queue: its state is in the database, another server (or this one, restarted) resumes it. */
    @Override
    void shutdown(JobExecution execution) {
        execution.store().release(pipeline.workspace(), pipeline.name(), execution.owner());
        markDone();
    }

    void tick() {
        long now = execution.clock().millis();
        if (plan == null) {
            plan = PipelinePlan.of(pipeline.workspace(), spec, steps.lookups(), Map.of());
            steps.store().ensure(pipeline.workspace(), pipeline.name(), order, now);
        }
        if (stopStatus() != null) {
            cancelSteps(stopReason());
            execution.finish(pipeline, stopStatus(), null, stopReason(), result(rows()).toString());
            markDone();
            return;
        }
        Map<String, PipelineStep> rows = rows();
        Map<String, Job> children = service.store().list(pipeline.workspace(), Optional.of(pipeline.name()), JobService.MAX_LIST)
                .stream().collect(Collectors.toMap(Job::name, Function.identity()));
        List<PipelineStep> updated = new ArrayList<>();
        queuedThisPass = 0;
        moreToQueue = false;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String name : order) {
                PipelineStep row = rows.get(name);
                if (row.status().isTerminal()) {
                    continue;
                }
                PipelineStep next = advance(plan.steps().get(name), row, rows, children, now);
                if (!next.equals(row)) {
                    updated.add(next);
                    rows.put(name, next);
                    changed |= next.status().isTerminal();
                }
            }
        }
        // One write for the pass: a step queued before it is recorded is found again by its job's name after a restart.
        steps.store().update(pipeline.workspace(), pipeline.name(), updated);
        log(updated.stream().map(PipelineRun::describe).toList());
        if (rows.values().stream().allMatch(row -> row.status().isTerminal())) {
            complete(rows);
        }
    }

    /** The step's next state: its job's, or (not yet queued) Skipped, Reused, queued, or unchanged while it waits. */
    private PipelineStep advance(PipelinePlan.Planned planned, PipelineStep row, Map<String, PipelineStep> rows, Map<String, Job> children,
                                 long now) {
        if (row.jobName().isPresent()) {
            Job job = Optional.ofNullable(children.get(row.jobName().get()))
                    .or(() -> service.store().get(pipeline.workspace(), row.jobName().get())).orElseThrow(() ->
                            new IllegalStateException("the job of step '" + row.step() + "' is gone"));
            // A sweep step's outputs are its best trial's; a sweep that completed without a Completed best trial (none logged
            // the primary metric, or the best was stopped) has none to hand on, and fails the step.
            Optional<String> bestTrial = Optional.ofNullable(job.result()).map(result -> result.path("best_trial"))
                    .filter(best -> best.isTextual()).map(best -> best.asText())
                    .filter(best -> service.store().get(pipeline.workspace(), best).map(trial -> trial.status() == JobStatus.COMPLETED)
                            .orElse(false));
            StepStatus status = switch (job.status()) {
                case QUEUED, PREPARING -> StepStatus.QUEUED;
                case RUNNING -> StepStatus.RUNNING;
                case COMPLETED -> planned.step().sweep().isPresent() && bestTrial.isEmpty() ? StepStatus.FAILED : StepStatus.COMPLETED;
                case FAILED -> StepStatus.FAILED;
                case CANCELED -> StepStatus.CANCELED;
            };
            if (status == row.status()) {
                return row;
            }
            Map<String, String> outputs = status != StepStatus.COMPLETED ? row.outputs() : planned.step().sweep().isPresent()
                    ? StepDocuments.trialOutputUris(pipeline.name(), spec.pipeline().settings(), planned, bestTrial.orElseThrow())
                    : StepDocuments.outputUris(pipeline.name(), spec.pipeline().settings(), planned);
            return new PipelineStep(row.step(), status, row.jobName(), row.runId(), row.reuseKey(), row.reusedFrom(), outputs, now);
        }
        String jobName = StepDocuments.jobName(pipeline.name(), planned.step().name());
        Job queuedBefore = children.get(jobName);
        if (queuedBefore != null) {
            // Queued by a server that stopped before it recorded the step: the step is that job.
            return new PipelineStep(row.step(), StepStatus.QUEUED, Optional.of(jobName), Optional.of(queuedBefore.runId()),
                    planned.recordsKey() ? Optional.of(planned.reuseKey()) : Optional.empty(), Optional.empty(), Map.of(), now);
        }
        boolean failedUpstream = planned.step().upstream().stream().map(rows::get)
                .anyMatch(upstream -> upstream.status().isTerminal() && !upstream.status().succeeded());
        boolean failedAnywhere = rows.values().stream().anyMatch(other -> other.status() == StepStatus.FAILED
                || other.status() == StepStatus.CANCELED);
        if (failedUpstream || (failedAnywhere && !spec.pipeline().settings().continueOnStepFailure())) {
            return row.with(StepStatus.SKIPPED, now);
        }
        if (!planned.step().upstream().stream().allMatch(upstream -> rows.get(upstream).status().succeeded())) {
            return row;
        }
        if (planned.reusable(spec.pipeline().settings())) {
            Optional<PipelineStep> original = steps.store().completed(pipeline.workspace(), planned.reuseKey());
            if (original.isPresent()) {
                return new PipelineStep(row.step(), StepStatus.REUSED, Optional.empty(), original.get().runId(),
                        Optional.of(planned.reuseKey()), original.get().jobName(), original.get().outputs(), now);
            }
        }
        if (queuedThisPass >= QUEUED_PER_PASS) {
            moreToQueue = true;
            return row;
        }
        Map<String, Map<String, String>> upstreamOutputs = new LinkedHashMap<>();
        planned.step().upstream().forEach(upstream -> upstreamOutputs.put(upstream, rows.get(upstream).outputs()));
        service.submitStep(pipeline, jobName, StepDocuments.document(pipeline, plan, planned, upstreamOutputs));
        Job job = service.store().get(pipeline.workspace(), jobName).orElseThrow();
        if (!pipeline.name().equals(job.parentJob())) {
            throw new IllegalStateException("step '" + planned.step().name() + "' cannot run: a job named '" + jobName
                    + "' already exists outside the pipeline");
        }
        children.put(jobName, job);
        queuedThisPass++;
        return new PipelineStep(row.step(), StepStatus.QUEUED, Optional.of(jobName), Optional.of(job.runId()),
                planned.recordsKey() ? Optional.of(planned.reuseKey()) : Optional.empty(), Optional.empty(), Map.of(), now);
    }

    private Map<String, PipelineStep> rows() {
        Map<String, PipelineStep> rows = new LinkedHashMap<>();
        steps.store().list(pipeline.workspace(), pipeline.name()).forEach(row -> rows.put(row.step(), row));
        return rows;
    }

    /** Cancels every step job not ended, and marks every step not ended Canceled. */
    private void cancelSteps(String reason) {
        long now = execution.clock().millis();
        for (Job child : service.store().list(pipeline.workspace(), Optional.of(pipeline.name()), JobService.MAX_LIST)) {
            if (!child.status().isTerminal()) {
                try {
                    service.cancel(pipeline.workspace(), child.name(), reason);
                } catch (AtelierException ended) {
                    LOG.debug("Step job {} ended before it was canceled: {}", child.name(), ended.getMessage());
                }
            }
        }
        List<PipelineStep> canceled = rows().values().stream().filter(row -> !row.status().isTerminal())
                .map(row -> row.with(StepStatus.CANCELED, now)).toList();
        steps.store().update(pipeline.workspace(), pipeline.name(), canceled);
        log(canceled.stream().map(PipelineRun::describe).toList());
    }

    /** A step's new state as a line of the pipeline's log (what {@code job logs -f} and {@code job create --stream} follow). */
    private static String describe(PipelineStep step) {
        return "[atelier] step " + step.step() + ": " + step.status().wireName()
                + step.jobName().map(job -> " (job " + job + ")").orElse("")
                + step.reusedFrom().map(original -> " (reused from job " + original + ")").orElse("");
    }

    private void log(List<String> lines) {
        if (!lines.isEmpty()) {
            long now = execution.clock().millis();
            service.store().appendLogs(pipeline.workspace(), pipeline.name(), lines.stream()
                    .map(line -> new JobLogLine(0, "system", now, line)).toList());
        }
    }

    private void complete(Map<String, PipelineStep> rows) {
        List<String> failed = new ArrayList<>();
        rows.values().forEach(row -> {
            if (row.status() == StepStatus.FAILED || row.status() == StepStatus.CANCELED) {
                failed.add(row.step());
            }
        });
        long reused = rows.values().stream().filter(row -> row.status() == StepStatus.REUSED).count();
        execution.runs().setTags(pipeline.workspace(), pipeline.runId(), Map.of(JobRuns.REUSED_STEPS_TAG, Long.toString(reused)));
        String reason = failed.isEmpty() ? null : "Step" + (failed.size() > 1 ? "s " : " ") + String.join(", ", failed) + " did not complete";
        log(List.of("[atelier] " + (failed.isEmpty() ? JobStatus.COMPLETED.wireName() : JobStatus.FAILED.wireName() + ": " + reason)
                + " (" + reused + " of " + rows.size() + " steps reused)"));
        execution.finish(pipeline, failed.isEmpty() ? JobStatus.COMPLETED : JobStatus.FAILED, null, reason, result(rows).toString());
        markDone();
    }

    /** The pipeline's result: how many steps ended in each status, how many were reused, and where its outputs are. */
    private ObjectNode result(Map<String, PipelineStep> rows) {
        ObjectNode result = Json.mapper().createObjectNode();
        ObjectNode counts = result.putObject("steps");
        rows.values().forEach(row -> counts.put(row.status().wireName(), counts.path(row.status().wireName()).asInt() + 1));
        result.put("reused_steps", rows.values().stream().filter(row -> row.status() == StepStatus.REUSED).count());
        ObjectNode outputs = result.putObject("outputs");
        spec.pipeline().steps().values().forEach(step -> step.outputs().forEach((output, settings) -> settings.pipelineOutput()
                .ifPresent(target -> {
                    PipelineStep row = rows.get(step.name());
                    if (row != null && row.outputs().containsKey(output)) {
                        outputs.put(target, row.outputs().get(output));
                    }
                })));
        return result;
    }
}
