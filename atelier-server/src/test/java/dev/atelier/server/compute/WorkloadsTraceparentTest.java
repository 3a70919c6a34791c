package dev.atelier.server.compute;

import dev.atelier.server.http.Traceparent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every workload handed to the execution layer gets {@code TRACEPARENT}, whoever describes it (a pipeline step, a
 * scheduled job, a batch or scoring worker): the one its domain set, else a new span of the request being handled, else
 * a new trace. Backends here are hand-written recorders: what is checked is what the layer hands them.
 */
class WorkloadsTraceparentTest {
    private final Recorder local = new Recorder(ComputeKind.LOCAL);
    private final Workloads workloads = new Workloads(List.of(local, new Recorder(ComputeKind.KUBERNETES)));
    private final ComputeTarget target = new ComputeTarget(ComputeTarget.LOCAL, ComputeKind.LOCAL, 1, Optional.empty(), "", 0, 0, true);

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void aWorkloadStartedOutsideARequestGetsANewTrace() {
        workloads.launch(target, run(Map.of("A", "1")), null);
        workloads.launch(target, run(Map.of()), null);
        Traceparent first = Traceparent.parse(local.runs.get(0).variables().get("TRACEPARENT")).orElseThrow();
        Traceparent second = Traceparent.parse(local.runs.get(1).variables().get("TRACEPARENT")).orElseThrow();
        assertThat(first.traceId()).isNotEqualTo(second.traceId());
        assertThat(local.runs.get(0).variables()).containsEntry("A", "1");
    }

    @Test
    void aWorkloadStartedWhileARequestIsHandledContinuesItsTrace() {
        MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        MDC.put("request_id", "00f067aa0ba902b7");
        workloads.launch(target, run(Map.of()), null);
        workloads.serve(target, service(), null);
        Traceparent run = Traceparent.parse(local.runs.get(0).variables().get("TRACEPARENT")).orElseThrow();
        assertThat(run.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(run.spanId()).isNotEqualTo("00f067aa0ba902b7");
        Traceparent served = Traceparent.parse(local.services.get(0).variables().get("TRACEPARENT")).orElseThrow();
        assertThat(served.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void theTraceADomainSetIsKept() {
        String submitted = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        MDC.put("request_id", "00f067aa0ba902b7");
        workloads.launch(target, run(Map.of("TRACEPARENT", submitted)), null);
        assertThat(local.runs.get(0).variables()).containsEntry("TRACEPARENT", submitted);
    }

    private static RunSpec run(Map<String, String> variables) {
        return new RunSpec(new WorkloadId("default", "job", "j1"), "true", variables, Set.of(), Optional.empty(), Optional.empty(),
                List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static ServiceSpec service() {
        return new ServiceSpec(new WorkloadId("default", "deployment", "d1"), Map.of(), List.of("true"), Optional.empty(), Map.of(),
                Map.of(), Optional.empty(), Optional.empty(), List.of(), 1, "/health", Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Records what it is asked to run; runs nothing. */
    private static final class Recorder implements ComputeBackend {
        private final ComputeKind kind;
        final List<RunSpec> runs = new ArrayList<>();
        final List<ServiceSpec> services = new ArrayList<>();

        Recorder(ComputeKind kind) {
            this.kind = kind;
        }

        @Override
        public ComputeKind kind() {
            return kind;
        }

        @Override
        public void check(ComputeTarget target, WorkloadNeeds needs) {
        }

        @Override
        public boolean onServerHost() {
            return true;
        }

        @Override
        public Placement placement(ComputeTarget target, WorkloadId id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RunHandle launch(ComputeTarget target, RunSpec spec, RunListener listener) {
            runs.add(spec);
            return null;
        }

        @Override
        public Optional<RunHandle> reattach(ComputeTarget target, WorkloadId id, Instant lastLine, RunListener listener) {
            return Optional.empty();
        }

        @Override
        public ServiceHandle serve(ComputeTarget target, ServiceSpec spec, ServiceListener listener) {
            services.add(spec);
            return null;
        }

        @Override
        public void deleteService(ComputeTarget target, WorkloadId id) {
        }
    }
}
