package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operations.md, "Retention": gc deletes endpoint metric rows, request-log versions and finished jobs' folders past
 * their windows (30 days by default), and keeps the rest. Old rows are injected; the server's clock is moved forward.
 */
class RetentionGcTest {
    private static final long DAY = Duration.ofDays(1).toMillis();

    @TempDir
    Path dataDir;

    /** Real time plus an offset the test moves: jobs and leases see time pass as usual. */
    static final class OffsetClock extends Clock {
        final AtomicLong offset = new AtomicLong();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offset.get();
        }
    }

    @Test
    void gcDeletesWhatIsPastItsRetentionWindow() throws Exception {
        OffsetClock clock = new OffsetClock();
        ServerConfig config = ServerConfig.forTests(dataDir);
        try (AtelierServer server = AtelierServer.start(config, clock)) {
            HttpJson http = new HttpJson(server.url());
            long now = clock.millis();
            for (long minute : new long[]{now - 40 * DAY, now - DAY}) {
                server.database().writeVoid(handle -> handle.createUpdate("""
                        INSERT INTO endpoint_metrics (workspace, endpoint, deployment, minute_start, request_count, client_errors,
                            server_errors, latency_sum_nanos, latency_histogram, request_bytes_sum, request_bytes_max,
                            response_bytes_sum, response_bytes_max, recorded_at)
                        VALUES ('default', 'scorer', 'blue', :minute, 1, 0, 0, 1000, '', 1, 1, 1, 1, :minute)""")
                        .bind("minute", minute).execute());
            }
            requestLog(http, now - 40 * DAY);
            requestLog(http, now - DAY);

            JobsFixture jobs = new JobsFixture(http);
            jobs.submit("name: finished\ncommand: echo done\n");
            assertThat(jobs.awaitEnded("finished", Duration.ofMinutes(2)).path("status").asText()).isEqualTo("Completed");
            // Folders a crash left behind: the finished job's, and one that is no job's (a deployment's, say).
            Path jobsDir = config.resolvedJobsDir();
            Files.createDirectories(jobsDir.resolve("default/finished/wd"));
            Files.writeString(jobsDir.resolve("default/finished/wd/model.bin"), "left behind");
            Files.createDirectories(jobsDir.resolve("default/not-a-job"));

            JsonNode first = gc(http);
            assertThat(first.path("retention").path("endpoint_metric_rows").asLong()).isEqualTo(1);
            assertThat(first.path("retention").path("request_logs").asLong()).isEqualTo(1);
            assertThat(first.path("retention").path("job_folders").asLong()).isZero();
            assertThat(metricRows(server)).isEqualTo(1);
            assertThat(http.get("/api/v1/data/scorer-requests/versions").json().path("versions").size()).isEqualTo(1);
            assertThat(jobsDir.resolve("default/finished")).exists();

            clock.offset.set(31 * DAY);
            JsonNode later = gc(http);
            assertThat(later.path("retention").path("endpoint_metric_rows").asLong()).isEqualTo(1);
            assertThat(later.path("retention").path("request_logs").asLong()).isEqualTo(1);
            assertThat(later.path("retention").path("job_folders").asLong()).isEqualTo(1);
            assertThat(metricRows(server)).isZero();
            assertThat(jobsDir.resolve("default/finished")).doesNotExist();
            assertThat(jobsDir.resolve("default/not-a-job")).exists();
            assertThat(jobs.job("finished").path("status").asText()).isEqualTo("Completed");
        }
    }

    private static JsonNode gc(HttpJson http) {
        HttpJson.Response response = http.post("/api/v1/gc", Map.of());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private static long metricRows(AtelierServer server) {
        return server.database().read(handle -> handle.createQuery("SELECT COUNT(*) FROM endpoint_metrics").mapTo(Long.class).one());
    }

    /** A request-log version of endpoint 'scorer' whose last request came at {@code lastRequestAt}. */
    private static void requestLog(HttpJson http, long lastRequestAt) {
        HttpJson.Response upload = http.post("/api/v1/data-uploads", Map.of());
        String id = upload.json().get("upload_id").asText();
        HttpJson.Response appended = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/data-uploads/" + id
                + "/files/requests.csv?offset=0")).PUT(HttpRequest.BodyPublishers.ofString("ts,input\n1,x\n")).build());
        assertThat(appended.status()).as(appended.text()).isEqualTo(200);
        HttpJson.Response created = http.post("/api/v1/data", Map.of("name", "scorer-requests", "type", "uri_file", "upload_id", id,
                "tags", Map.of("endpoint", "scorer", "first_request_at", Long.toString(lastRequestAt),
                        "last_request_at", Long.toString(lastRequestAt), "rows", "1")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }
}
