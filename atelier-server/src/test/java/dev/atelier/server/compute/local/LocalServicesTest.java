package dev.atelier.server.compute.local;

import dev.atelier.server.compute.ServiceFiles;
import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceListener;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.compute.WorkloadId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real child processes served as replicas of a service workload on the local target. */
class LocalServicesTest {
    @TempDir
    Path dir;

    @Test
    void replicasStartHandTheirLinesToTheListenerAndStopKillsEveryProcessTree() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        LocalCompute local = LocalCompute.start(LocalComputeConfig.DEFAULTS.withWorkDir(dir.resolve("work")), dir.resolve("data"), List.of(), false);
        Path files = Files.createDirectories(dir.resolve("files"));
        Files.writeString(files.resolve("greeting.txt"), "hello");
        Recorder recorder = new Recorder();
        ServiceSpec spec = new ServiceSpec(new WorkloadId("default", "test", "svc"), Map.of(),
                List.of("/bin/sh", "-c", "cat " + ServiceSpec.folder("data") + "/greeting.txt; echo \" $REPLICA on $LISTEN\"; sleep 60 & wait"),
                Optional.of("data"), Map.of("LISTEN", ServiceSpec.HOST + ":" + ServiceSpec.PORT), Map.of(), Optional.of("REPLICA"),
                Optional.empty(), List.of(new ServiceFiles("data", Optional.of(files), Optional.empty())), 2, "/health",
                Optional.empty(), Optional.empty(), Optional.empty());
        ServiceHandle service = new LocalServices(local, dir.resolve("work").resolve("services")).serve(spec, recorder);
        awaitLines(recorder, 2);
        assertThat(recorder.lines).containsExactlyInAnyOrder("0 stdout hello 0 on 127.0.0.1:0", "1 stdout hello 1 on 127.0.0.1:0");
        assertThat(service.address()).isEmpty();
        assertThat(service.status().readyReplicas()).isEqualTo(2);
        assertThat(service.logs(10)).hasSize(2).allMatch(line -> line.contains("hello"));
        List<ProcessHandle> sleeps = ProcessHandle.allProcesses().filter(process -> process.info().commandLine()
                .map(line -> line.contains("sleep 60")).orElse(false)).toList();
        assertThat(sleeps).isNotEmpty();

        service.stop();
        assertThat(recorder.exits).hasSize(2);
        // A killed grandchild may linger a moment as a zombie (no command line) until its new parent reaps it.
        assertThat(sleeps).allSatisfy(process -> assertThat(ProcessHandle.of(process.pid()).filter(ProcessHandle::isAlive)
                .flatMap(alive -> alive.info().commandLine())).isEmpty());
        assertThat(service.status().exists()).isFalse();
    }

    @Test
    void restartStopsAReplicaAndStartsItAgain() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        LocalCompute local = LocalCompute.start(LocalComputeConfig.DEFAULTS.withWorkDir(dir.resolve("work")), dir.resolve("data"), List.of(), false);
        Recorder recorder = new Recorder();
        ServiceSpec spec = new ServiceSpec(new WorkloadId("default", "test", "again"), Map.of(),
                List.of("/bin/sh", "-c", "echo up; sleep 60 & wait"), Optional.empty(), Map.of(), Map.of(), Optional.empty(),
                Optional.empty(), List.of(), 1, "/health", Optional.empty(), Optional.empty(), Optional.empty());
        ServiceHandle service = new LocalServices(local, dir.resolve("work").resolve("services")).serve(spec, recorder);
        try {
            awaitLines(recorder, 1);
            service.restart(0);
            assertThat(recorder.exits).as("the first process ended before the second started").containsExactly(0);
            assertThat(recorder.starts).isEqualTo(2);
            awaitLines(recorder, 2);
            assertThat(recorder.lines).containsExactly("0 stdout up", "0 stdout up");
            assertThat(service.status().readyReplicas()).isEqualTo(1);
        } finally {
            service.stop();
        }
    }

    private static void awaitLines(Recorder recorder, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (recorder.lines.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static final class Recorder implements ServiceListener {
        volatile int starts;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<Integer> exits = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void started(int replica) {
            starts++;
        }

        @Override
        public void log(int replica, String stream, String line) {
            lines.add(replica + " " + stream + " " + line);
        }

        @Override
        public void exited(int replica, int exitCode) {
            exits.add(replica);
        }
    }
}
