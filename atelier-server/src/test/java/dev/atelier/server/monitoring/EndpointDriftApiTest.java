package dev.atelier.server.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.HttpServer;
import dev.atelier.server.models.Table;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointDriftApiTest {
    private static final long HOUR = 3_600_000;
    private static final long STEADY = 1_700_002_800_000L;  // an hour of requests like the reference
    private static final long SHIFTED = STEADY + 2 * HOUR;  // an hour of shifted requests

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();
    private static DataDomainBeside data;

    @BeforeAll
    static void logRequests() {
        data = DataDomainBeside.of(server.server());
        assertThat(http.post("/api/v1/endpoints", Map.of("name", "fraud", "auth_mode", "key")).status()).isEqualTo(201);
        Random random = new Random(42);
        DataUploads.register(http, "reference", "table", "reference.csv", csv(rows(random, 2_000, 0, false), true));
        EndpointRequestLog log = new EndpointRequestLog(data.data().data(), data.data().datastores(), new SimpleMeterRegistry(),
                Duration.ZERO);
        for (int request = 0; request < 20; request++) {
            offer(log, "blue", STEADY + request * 60_000L, rows(random, 50, 0, false));
            offer(log, "green", SHIFTED + request * 60_000L, rows(random, 50, 30, true));
        }
        log.close();
    }

    @AfterAll
    static void stop() {
        data.close();
    }

    /** Rows of (amount, country, label): amounts around 100 (+shift), countries FR/DE/IT 60/30/10 % or 30/30/40 % when mixed. */
    private static List<List<Object>> rows(Random random, int count, double shift, boolean mixed) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double draw = random.nextDouble();
            String country = mixed ? (draw < 0.3 ? "FR" : draw < 0.6 ? "DE" : "IT") : (draw < 0.6 ? "FR" : draw < 0.9 ? "DE" : "IT");
            rows.add(List.of(Math.round((100 + shift + random.nextGaussian() * 15) * 100) / 100.0, country, random.nextInt(2)));
        }
        return rows;
    }

    private static String csv(List<List<Object>> rows, boolean withLabel) {
        StringBuilder text = new StringBuilder(withLabel ? "amount,country,label\n" : "amount,country\n");
        for (List<Object> row : rows) {
            text.append(row.get(0)).append(',').append(row.get(1));
            text.append(withLabel ? "," + row.get(2) : "").append('\n');
        }
        return text.toString();
    }

    private static void offer(EndpointRequestLog log, String deployment, long at, List<List<Object>> rows) {
        Table input = new Table(List.of("amount", "country"), rows.stream().map(row -> row.subList(0, 2)).toList());
        log.offer("default", "fraud", deployment, 1.0, Optional.of(input), new byte[0], "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), at, "r" + at);
    }

    private static HttpJson.Response report(Map<String, Object> body) {
        return http.post("/api/v1/endpoints/fraud/drift-reports", body);
    }

    private static Map<String, Object> period(long from, long to) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reference", "data:reference:1");
        body.put("from", from);
        body.put("to", to);
        return body;
    }

    private static JsonNode feature(JsonNode report, String name) {
        for (JsonNode feature : report.get("features")) {
            if (feature.get("name").asText().equals(name)) {
                return feature;
            }
        }
        throw new AssertionError("no feature " + name + " in " + report);
    }

    @Test
    void requestsLikeTheReferenceDoNotDrift() {
        HttpJson.Response created = report(period(STEADY, STEADY + HOUR));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode report = created.json();
        assertThat(report.get("drift_detected").asBoolean()).as(report.toString()).isFalse();
        assertThat(report.get("current_rows").asLong()).isEqualTo(1_000);
        assertThat(report.get("reference_rows").asLong()).isEqualTo(2_000);
        assertThat(report.get("reference_only_columns")).extracting(JsonNode::asText).containsExactly("label");
        JsonNode amount = feature(report, "amount");
        assertThat(amount.get("kind").asText()).isEqualTo("numeric");
        assertThat(amount.get("test").asText()).isEqualTo("kolmogorov_smirnov");
        assertThat(amount.get("psi").asDouble()).isLessThan(0.1);
        assertThat(amount.get("p_value").asDouble()).isGreaterThan(0.05);
        JsonNode country = feature(report, "country");
        assertThat(country.get("kind").asText()).isEqualTo("categorical");
        assertThat(country.get("test").asText()).isEqualTo("chi_square");
        assertThat(country.get("drifted").asBoolean()).isFalse();
    }

    @Test
    void shiftedRequestsDriftOnEveryShiftedFeature() {
        JsonNode report = report(period(SHIFTED, SHIFTED + HOUR)).json();
        assertThat(report.get("drift_detected").asBoolean()).isTrue();
        JsonNode amount = feature(report, "amount");
        assertThat(amount.get("drifted").asBoolean()).isTrue();
        assertThat(amount.get("psi").asDouble()).isGreaterThan(DriftService.PSI_THRESHOLD);
        assertThat(amount.get("p_value").asDouble()).isLessThan(1e-6);
        assertThat(feature(report, "country").get("drifted").asBoolean()).isTrue();
        assertThat(report.get("psi_threshold").asDouble()).isEqualTo(0.2);
    }

    @Test
    void aDeploymentCanBeComparedAloneAndReportsAreListedAndRead() {
        HttpJson.Response created = report(Map.of("reference", "data:reference:1", "deployment", "green"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode report = created.json();
        assertThat(report.get("deployment").asText()).isEqualTo("green");
        assertThat(report.get("current_rows").asLong()).isEqualTo(1_000);
        assertThat(report.get("drift_detected").asBoolean()).isTrue();

        HttpJson.Response read = http.get("/api/v1/endpoints/fraud/drift-reports/" + report.get("id").asText());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(report);
        JsonNode listed = http.get("/api/v1/endpoints/fraud/drift-reports").json().get("drift_reports");
        assertThat(listed.get(0).get("id").asText()).isEqualTo(report.get("id").asText());
        assertThat(http.get("/api/v1/endpoints/fraud/drift-reports?max_results=1").json().get("drift_reports")).hasSize(1);
    }

    @Test
    void badRequestsAreRefusedWithAClearError() {
        assertError(report(Map.of()), 400, "INVALID_PARAMETER_VALUE", "reference");
        assertError(report(Map.of("reference", "reference")), 400, "INVALID_PARAMETER_VALUE", "expected data:<name>:<version>");
        assertError(report(Map.of("reference", "data:nope:1")), 404, "RESOURCE_DOES_NOT_EXIST", "nope");
        assertError(report(Map.of("reference", "data:bad name")), 400, "INVALID_PARAMETER_VALUE", "data:bad name");
        DataUploads.register(http, "notes", "uri_file", "notes.txt", "hello");
        assertError(report(Map.of("reference", "data:notes:1")), 400, "INVALID_PARAMETER_VALUE", "not a table");
        assertError(report(period(0, 1_000)), 400, "INVALID_STATE", "logged no requests");
        assertError(report(period(STEADY + HOUR, STEADY)), 400, "INVALID_PARAMETER_VALUE", "'from'");
        assertError(report(Map.of("reference", "data:reference:1", "from", "noon")), 400, "INVALID_PARAMETER_VALUE", "'from'");
        DataUploads.register(http, "unrelated", "table", "unrelated.csv", "x,y\n1,2\n");
        assertError(report(Map.of("reference", "data:unrelated:1")), 400, "INVALID_PARAMETER_VALUE", "share none");
        assertError(http.get("/api/v1/endpoints/fraud/drift-reports/0123"), 404, "RESOURCE_DOES_NOT_EXIST", "0123");
        assertError(http.get("/api/v1/endpoints/fraud/drift-reports?max_results=0"), 400, "INVALID_PARAMETER_VALUE", "max_results");
    }

    private static void assertError(HttpJson.Response answer, int status, String code, String message) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.errorCode()).isEqualTo(code);
        assertThat(answer.json().get("message").asText()).contains(message);
    }

    @Test
    void reportsOfAnUnknownEndpointAreNotFound() {
        assertError(http.post("/api/v1/endpoints/ghost/drift-reports", Map.of("reference", "data:reference:1")), 404,
                "RESOURCE_DOES_NOT_EXIST", "ghost");
        assertError(http.get("/api/v1/endpoints/ghost/drift-reports"), 404, "RESOURCE_DOES_NOT_EXIST", "ghost");
    }

    @Test
    void driftServiceAsksItsLookup() {
        EndpointLookup lookup = (workspace, endpoint) -> {
            throw AtelierException.notFound("Endpoint '" + endpoint + "' does not exist in workspace '" + workspace + "'");
        };
        DriftService drift = new DriftService(new JdbcDriftReportStore(server.server().server().database()), data.data().data(),
                lookup, Clock.systemUTC());
        HttpServer small = new HttpServer(List.of(new EndpointDriftRoutes(drift)), workspace -> { }, new SimpleMeterRegistry())
                .start("127.0.0.1", 0);
        try {
            HttpJson client = new HttpJson("http://127.0.0.1:" + small.port());
            assertError(client.post("/api/v1/endpoints/ghost/drift-reports", Map.of("reference", "data:reference:1")), 404,
                    "RESOURCE_DOES_NOT_EXIST", "ghost");
            assertError(client.get("/api/v1/endpoints/ghost/drift-reports"), 404, "RESOURCE_DOES_NOT_EXIST", "ghost");
        } finally {
            small.close();
        }
    }
}
