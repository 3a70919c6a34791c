package dev.atelier.server.notebooks;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.testing.EmbeddedPostgres;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two servers on one PostgreSQL database: a server that starts leaves the instances another runs alone; an instance
 * stopped through the other server ends on the one that ran it; an instance whose server stopped renewing its lease is
 * marked Stopped by the other, and its Jupyter process ends on its own server's next check.
 */
class NotebookReplicasTest {
    private static final String API = "/w/" + NotebookServerFixture.WORKSPACE + "/api/v1/compute-instances";

    @Test
    void instancesBelongToTheServerThatStartedThemWhileItRenewsTheirLease() throws Exception {
        String database = EmbeddedPostgres.createDatabase();
        try (NotebookServerFixture fixture = new NotebookServerFixture(Optional.of(database))) {
            String alice = fixture.user("alice", "Data Scientist");
            fixture.createRunning(Map.of("name", "shared-nb"), alice);
            String proxied = "/w/" + NotebookServerFixture.WORKSPACE + "/notebooks/shared-nb/api/status";
            assertThat(fixture.call("GET", proxied, null, alice).status()).isEqualTo(200);

            SettableClock otherClock = new SettableClock(fixture.clock.millis());
            try (AtelierServer other = NotebookServerFixture.start(Optional.of(database), otherClock)) {
                other.notebooks().tick();
                HttpJson.Response seen = fixture.call(other, "GET", API + "/shared-nb", null, alice);
                assertThat(seen.json().get("state").asText()).as("a starting server leaves it alone").isEqualTo("Running");
                HttpJson.Response opened = fixture.call(other, "GET", proxied, null, alice);
                assertThat(opened.status()).isEqualTo(409);
                assertThat(opened.text()).contains("runs on another Atelier server");
                assertThat(fixture.call("GET", proxied, null, alice).status()).isEqualTo(200);

                // stopped through the other server: the server running it ends its Jupyter at its next check
                assertThat(fixture.call(other, "POST", API + "/shared-nb/stop", Map.of(), alice).status()).isEqualTo(200);
                assertThat(jupyterRuns("shared-nb")).isTrue();
                fixture.server.notebooks().tick();
                awaitEnded("shared-nb");
                assertThat(fixture.call("GET", proxied, null, alice).status()).isEqualTo(409);

                // its server stops renewing (it died): past the lease, the other server marks it Stopped
                assertThat(fixture.call("POST", API + "/shared-nb/start", Map.of(), alice).status()).isEqualTo(200);
                fixture.awaitState("shared-nb", "Running", alice);
                otherClock.advance(Duration.ofSeconds(60));
                other.notebooks().tick();
                assertThat(fixture.call(other, "GET", API + "/shared-nb", null, alice).json().get("state").asText())
                        .as("within its lease").isEqualTo("Running");
                otherClock.advance(Duration.ofMinutes(5));
                other.notebooks().tick();
                HttpJson.Response reaped = fixture.call(other, "GET", API + "/shared-nb", null, alice);
                assertThat(reaped.json().get("state").asText()).isEqualTo("Stopped");
                assertThat(reaped.json().get("state_message").asText()).contains("server that ran it stopped");
                fixture.server.notebooks().tick();
                awaitEnded("shared-nb");

                // either server starts it again
                assertThat(fixture.call(other, "POST", API + "/shared-nb/start", Map.of(), alice).status()).isEqualTo(200);
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (!fixture.call(other, "GET", API + "/shared-nb", null, alice).json().get("state").asText().equals("Running")) {
                    assertThat(System.nanoTime()).as("started on the other server").isLessThan(deadline);
                    Thread.sleep(200);
                }
                assertThat(fixture.call(other, "GET", proxied, null, alice).status()).isEqualTo(200);
            }
        }
    }

    /** Whether a Jupyter process serves the instance on this host (its base URL is on its command line). */
    private static boolean jupyterRuns(String name) {
        return ProcessHandle.allProcesses().anyMatch(process -> process.info().commandLine()
                .filter(line -> line.contains("/notebooks/" + name + "/") && !line.contains("bwrap")).isPresent());
    }

    private static void awaitEnded(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (jupyterRuns(name)) {
            assertThat(System.nanoTime()).as("the Jupyter of " + name + " ended").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
