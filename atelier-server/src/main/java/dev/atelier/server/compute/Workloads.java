package dev.atelier.server.compute;

import dev.atelier.server.http.Traceparent;
import org.slf4j.MDC;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The execution layer's front door: picks the backend of a target's kind. The only place that looks at
 * {@link ComputeKind} to decide how work runs; domains call this and never branch on a target's kind. Thread-safe.
 */
public final class Workloads implements AutoCloseable {
    private final Map<ComputeKind, ComputeBackend> backends = new EnumMap<>(ComputeKind.class);

    public Workloads(List<ComputeBackend> backends) {
        backends.forEach(backend -> this.backends.put(backend.kind(), backend));
        for (ComputeKind kind : ComputeKind.values()) {
            if (!this.backends.containsKey(kind)) {
                throw new IllegalArgumentException("no backend for compute kind " + kind);
            }
        }
    }

    private ComputeBackend backend(ComputeTarget target) {
        return backends.get(requireNonNull(target, "target is null").kind());
    }

    /** @see ComputeBackend#check */
    public void check(ComputeTarget target, WorkloadNeeds needs) {
        backend(target).check(target, needs);
    }

    /** @see ComputeBackend#onServerHost */
    public boolean onServerHost(ComputeTarget target) {
        return backend(target).onServerHost();
    }


    public Placement placement(ComputeTarget target, WorkloadId id) {
        return backend(target).placement(target, id);
    }

    public RunHandle launch(ComputeTarget target, RunSpec spec, RunListener listener) {
        return backend(target).launch(target, spec.withVariables(traced(spec.variables())), listener);
    }

    public Optional<RunHandle> reattach(ComputeTarget target, WorkloadId id, java.time.Instant lastLine, RunListener listener) {
        return backend(target).reattach(target, id, lastLine, listener);
    }

    /** @see ComputeBackend#serve */
    public ServiceHandle serve(ComputeTarget target, ServiceSpec spec, ServiceListener listener) {
        return backend(target).serve(target, spec.withVariables(traced(spec.variables())), listener);
    }

    /** @see ComputeBackend#deleteService */
    public void deleteService(ComputeTarget target, WorkloadId id) {
        backend(target).deleteService(target, id);
    }

    /**
     * A workload's environment with {@code TRACEPARENT} (W3C trace context, docs/operations.md "Logs"): kept when its
     * domain set one (a command job carries its submitter's), else a new span of the trace this thread works for (the
     * request that started it, from the log context), else of a new trace (a schedule firing, a pipeline step, a batch
     * or scoring worker started in the background). Every workload of every kind gets one here.
     */
    static Map<String, String> traced(Map<String, String> variables) {
        if (variables.containsKey(Traceparent.VARIABLE)) {
            return variables;
        }
        String traceId = MDC.get("trace_id");
        String spanId = MDC.get("request_id");
        Map<String, String> traced = new java.util.LinkedHashMap<>(variables);
        traced.put(Traceparent.VARIABLE, Traceparent.continueOrStart(traceId == null || spanId == null ? null
                : "00-" + traceId + "-" + spanId + "-00").value());
        return traced;
    }

    /** Closes the backends that hold something (clients of clusters); services on the server's host are the domain's to stop. */
    @Override
    public void close() {
        for (ComputeBackend backend : backends.values()) {
            if (backend instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // closing is best effort: a client that fails to close holds nothing more
                }
            }
        }
    }
}
