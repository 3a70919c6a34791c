package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.compute.local.PipSources;
import dev.atelier.server.compute.local.PythonEnvironments;
import dev.atelier.server.compute.local.TestWheels;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.RequiredTool;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs in python environments, built offline: pip installs a wheel this test writes into a folder of wheels
 * ({@code ATELIER_PIP_FIND_LINKS}, no index); the job imports it. Builds are cached by content, run once when jobs ask
 * at the same time, and fail the job with pip's message. Jobs run in the bubblewrap sandbox when the host has it.
 */
class PythonEnvironmentJobsTest {
    static final Duration WAIT = Duration.ofSeconds(120);
    static final String PYTHON = "/usr/bin/python3";
    static final String IMPORTS = "python -c \"import sys, atelier_probe; print('probe', atelier_probe.VALUE, sys.prefix)\"";

    static TestServer server;
    static HttpJson http;
    static JobsFixture jobs;

    @BeforeAll
    static void start() throws Exception {
        RequiredTool.require(Files.isExecutable(Path.of(PYTHON)), "Debian's python3 with venv and pip (" + PYTHON + ")");
        Path wheels = TestWheels.folderWith(Files.createTempDirectory("atelier-wheels"), "atelier_probe", "1.0", "VALUE = 42\n");
        ServerConfig config = ServerConfig.forTests(Files.createTempDirectory("atelier-test"));
        server = TestServer.start(config.withJobs(config.jobs().withLocal(config.jobs().local()
                .withPip(new PipSources(Optional.empty(), Optional.of(wheels))))));
        http = server.http();
        jobs = new JobsFixture(http);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aJobImportsThePackageItsEnvironmentInstalledAndTheNextJobReusesTheBuild() {
        createEnvironment("probe", List.of("atelier-probe==1.0"));
        jobs.submit("name: first\nenvironment: azureml:probe:1\ncommand: " + IMPORTS + "\n");
        JsonNode first = jobs.awaitEnded("first", WAIT);
        assertThat(first.path("status").asText()).as(String.join("\n", jobs.logLines("first"))).isEqualTo("Completed");
        List<String> firstLog = jobs.logLines("first");
        assertThat(firstLog).anyMatch(line -> line.startsWith(PythonEnvironments.BUILD_HEADER + "probe:1"));
        assertThat(firstLog).anyMatch(line -> line.startsWith("probe 42 ") && line.endsWith("/venv"));

        jobs.submit("name: second\nenvironment: probe:1\ncommand: " + IMPORTS + "\n");
        assertThat(jobs.awaitEnded("second", WAIT).path("status").asText()).isEqualTo("Completed");
        List<String> secondLog = jobs.logLines("second");
        assertThat(secondLog).anyMatch(line -> line.contains("already built")).noneMatch(line -> line.startsWith(PythonEnvironments.BUILD_HEADER));
        assertThat(secondLog).anyMatch(line -> line.startsWith("probe 42 "));

        JsonNode build = http.get("/api/v1/environments/probe/versions/1/build").json();
        assertThat(build.path("state").asText()).isEqualTo("built");
        assertThat(builds(build)).isEqualTo(1);
        assertThat(build.path("log").asText()).contains("Successfully installed atelier-probe-1.0");
        assertThat(http.get("/environments/probe").text()).contains("id=\"environment-build-state\"", "built",
                build.path("digest").asText(), "id=\"environment-build-log\"", "Successfully installed atelier-probe-1.0");
    }

    @Test
    void aRequirementNoWheelSatisfiesFailsTheJobWithPipsMessage() {
        createEnvironment("missing", List.of("atelier-not-there==9.9"));
        jobs.submit("name: missing-job\nenvironment: missing:1\ncommand: python -c 'print(1)'\n");
        JsonNode job = jobs.awaitEnded("missing-job", WAIT);
        assertThat(job.path("status").asText()).isEqualTo("Failed");
        assertThat(job.path("reason").asText()).contains("Could not build environment missing:1")
                .contains("No matching distribution found for atelier-not-there==9.9");
        assertThat(jobs.logLines("missing-job")).anyMatch(line -> line.contains("No matching distribution found"));
        JsonNode build = http.get("/api/v1/environments/missing/versions/1/build").json();
        assertThat(build.path("state").asText()).isEqualTo("failed");
        assertThat(build.path("log").asText()).contains("No matching distribution found");
    }

    @Test
    void twoJobsAskingForANewEnvironmentAtOnceBuildItOnce() {
        createEnvironment("together", List.of("atelier-probe>=1.0"));
        List<CompletableFuture<JsonNode>> submitted = List.of("together-a", "together-b").stream()
                .map(name -> CompletableFuture.supplyAsync(() -> jobs.submit("name: " + name + "\nenvironment: together:1\ncommand: "
                        + IMPORTS + "\n")))
                .toList();
        submitted.forEach(CompletableFuture::join);
        for (String name : List.of("together-a", "together-b")) {
            assertThat(jobs.awaitEnded(name, WAIT).path("status").asText()).as(String.join("\n", jobs.logLines(name)))
                    .isEqualTo("Completed");
            assertThat(jobs.logLines(name)).anyMatch(line -> line.startsWith("probe 42 "));
        }
        assertThat(builds(http.get("/api/v1/environments/together/versions/1/build").json())).isEqualTo(1);
    }

    @Test
    void anInlineEnvironmentIsRegisteredAnonymouslyOnceAndSharesTheBuildOfTheSameSpecification() {
        createEnvironment("named", List.of("atelier-probe==1.0", "# the same packages as the inline one below"));
        String yaml = """
                name: %s
                command: %s
                environment:
                  python: "%s"
                  requirements:
                    - atelier-probe==1.0
                    - "# the same packages as the inline one below"
                """;
        jobs.submit(yaml.formatted("inline-a", IMPORTS, PYTHON));
        jobs.submit(yaml.formatted("inline-b", IMPORTS, PYTHON));
        for (String name : List.of("inline-a", "inline-b")) {
            JsonNode job = jobs.awaitEnded(name, WAIT);
            assertThat(job.path("status").asText()).as(String.join("\n", jobs.logLines(name))).isEqualTo("Completed");
            assertThat(jobs.run(job.path("run_id").asText()).path("data").path("tags").toString())
                    .contains("CliV2AnonymousEnvironment:1");
        }
        jobs.submit("""
                type: sweep
                name: inline-sweep
                trial:
                  command: %s
                  environment:
                    python: "%s"
                    requirements: [atelier-probe==1.0, "# the same packages as the inline one below"]
                search_space: {n: {type: choice, values: [1]}}
                sampling_algorithm: grid
                objective: {primary_metric: m, goal: minimize}
                limits: {max_total_trials: 1}
                """.formatted(IMPORTS, PYTHON));
        assertThat(jobs.awaitEnded("inline-sweep", WAIT).path("status").asText()).isEqualTo("Completed");
        assertThat(jobs.logLines("inline-sweep_trial_0")).anyMatch(line -> line.startsWith("probe 42 "));
        assertThat(http.get("/api/v1/environments/CliV2AnonymousEnvironment/versions").json().path("environments")).hasSize(1);
        JsonNode anonymous = http.get("/api/v1/environments/CliV2AnonymousEnvironment/versions/1/build").json();
        assertThat(anonymous.path("digest").asText()).isEqualTo(http.get("/api/v1/environments/named/versions/1/build").json()
                .path("digest").asText());
        assertThat(jobs.submitYaml("name: bad-inline\ncommand: echo\nenvironment:\n  python: \"3.11\"\n  image: python:3.11\n")
                .json().path("message").asText()).contains("environment.python");
    }

    @Test
    void aRefusedJobRegistersNoInlineEnvironment() {
        HttpJson.Response refused = jobs.submitYaml("""
                name: refused-inline
                command: python -c 'print(1)'
                compute: azureml:no-such-compute
                environment:
                  python: "%s"
                  requirements: ["atelier-probe==1.0", "# only in this refused job"]
                """.formatted(PYTHON));
        assertThat(refused.status()).as(refused.text()).isEqualTo(404);
        HttpJson.Response anonymous = http.get("/api/v1/environments/CliV2AnonymousEnvironment/versions");
        assertThat(anonymous.status()).as(anonymous.text()).isIn(200, 404);
        assertThat(anonymous.text()).as("no version was written for the refused job").doesNotContain("only in this refused job");
    }

    @Test
    void garbageCollectionRemovesTheBuildsOfEnvironmentsThatAreGone() {
        assertThat(http.post("/api/v1/workspaces", Map.of("name", "short-lived")).status()).isEqualTo(201);
        HttpJson there = new HttpJson(http.baseUrl() + "/w/short-lived");
        HttpJson.Response created = there.post("/api/v1/environments", Map.of("name", "only-here", "python", PYTHON,
                "requirements", List.of("atelier-probe==1.0", "# a build of its own")));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        JobsFixture elsewhere = new JobsFixture(there);
        elsewhere.submit("name: builds-it\nenvironment: only-here:1\ncommand: " + IMPORTS + "\n");
        assertThat(elsewhere.awaitEnded("builds-it", WAIT).path("status").asText()).isEqualTo("Completed");
        assertThat(http.post("/api/v1/gc", Map.of()).json().path("environment_builds").asLong()).as("still used").isZero();

        HttpJson.Response deleted = http.send("DELETE", "/api/v1/workspaces/short-lived?force=true", null);
        assertThat(deleted.status()).as(deleted.text()).isLessThan(300);
        assertThat(http.post("/api/v1/gc", Map.of()).json().path("environment_builds").asLong()).isEqualTo(1);
        assertThat(http.post("/api/v1/gc", Map.of()).json().path("environment_builds").asLong()).isZero();
    }

    private static void createEnvironment(String name, List<String> requirements) {
        HttpJson.Response created = http.post("/api/v1/environments", Map.of("name", name, "python", PYTHON, "requirements", requirements));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.json().path("kind").asText()).isEqualTo("python");
    }

    private static long builds(JsonNode build) {
        return build.path("log").asText().lines().filter(line -> line.startsWith(PythonEnvironments.BUILD_HEADER)).count();
    }
}
