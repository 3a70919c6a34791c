package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code atelier job|environment|compute} against a real server running real child processes. */
class JobCommandTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void createUploadsTheCodeFollowsTheLogsShowsAndDownloads(@TempDir Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("run.sh"), "echo reading $1\ncat \"$1\"\nmkdir -p outputs\necho done > outputs/result.txt\n");
        Files.writeString(src.resolve(".amlignore"), "*.tmp\ncache/\n");
        Files.writeString(src.resolve("scratch.tmp"), "ignored");
        Files.createDirectories(src.resolve("cache"));
        Files.writeString(src.resolve("cache/blob"), "ignored");
        Files.createDirectories(src.resolve(".git"));
        Files.writeString(src.resolve(".git/HEAD"), "ref: refs/heads/main");
        Files.writeString(dir.resolve("data.csv"), "a,b\n1,2\n");
        Path yaml = Files.writeString(dir.resolve("job.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
                type: command
                name: cli-job
                code: ./src
                command: sh run.sh ${{inputs.data}}
                inputs:
                  data:
                    type: uri_file
                    path: ./data.csv
                """);

        Cli.Result created = Cli.runAgainst(server.url(), "job", "create", "-f", yaml.toString(), "-o", "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(HttpJson.parse(created.out()).path("name").asText()).isEqualTo("cli-job");

        Cli.Result logs = Cli.runAgainst(server.url(), "job", "logs", "-f", "cli-job");
        assertThat(logs.exitCode()).isZero();
        assertThat(logs.out()).contains("a,b\n1,2\n").containsPattern("reading /.*/data.csv");

        Cli.Result shown = Cli.runAgainst(server.url(), "job", "show", "cli-job", "--output", "json");
        JsonNode job = HttpJson.parse(shown.out());
        assertThat(job.path("status").asText()).isEqualTo("Completed");
        assertThat(job.path("run_id").asText()).hasSize(32);

        JsonNode snapshot = server.http().get("/api/v1/snapshots/" + job.path("snapshot_id").asText()).json();
        assertThat(snapshot.path("files").findValuesAsText("path")).containsExactly(".amlignore", "run.sh");

        Path downloads = dir.resolve("downloads");
        Cli.Result downloaded = Cli.runAgainst(server.url(), "job", "download", "cli-job", "-d", downloads.toString());
        assertThat(downloaded.exitCode()).as(downloaded.err()).isZero();
        assertThat(Files.readString(downloads.resolve("outputs/result.txt"))).isEqualTo("done\n");
        assertThat(Files.readString(downloads.resolve("user_logs/std_log.txt"))).contains("reading");

        assertThat(Cli.runAgainst(server.url(), "job", "list").out()).contains("cli-job", "Completed");
        Cli.Result again = Cli.runAgainst(server.url(), "job", "create", "-f", yaml.toString());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(again.err()).contains("already exists").contains("nothing to upload");
    }

    @Test
    void createsAPipelineWithALocalComponentFileAndCodeFolderAndShowsItsSteps(@TempDir Path dir) throws IOException,
            InterruptedException {
        Path components = Files.createDirectories(dir.resolve("components"));
        Path componentCode = Files.createDirectories(components.resolve("shout"));
        Files.writeString(componentCode.resolve("shout.sh"), "mkdir -p \"$2\"\ntr a-z A-Z < \"$1/word.txt\" > \"$2/word.txt\"\n");
        Files.writeString(components.resolve("shout.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json
                type: command
                name: shout
                code: ./shout
                command: sh shout.sh ${{inputs.words}} ${{outputs.loud}}
                inputs:
                  words:
                    type: uri_folder
                outputs:
                  loud:
                    type: uri_folder
                """);
        Path code = Files.createDirectories(dir.resolve("src"));
        Files.writeString(code.resolve("write.sh"), "mkdir -p \"$1\"\necho pipeline-cli > \"$1/word.txt\"\n");
        Path yaml = Files.writeString(dir.resolve("pipeline.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
                type: pipeline
                name: cli-pipeline
                jobs:
                  write:
                    code: ./src
                    command: sh write.sh ${{outputs.words}}
                    outputs:
                      words:
                  shout:
                    type: command
                    component: ./components/shout.yml
                    inputs:
                      words: ${{parent.jobs.write.outputs.words}}
                  read:
                    command: cat ${{inputs.loud}}/word.txt
                    inputs:
                      loud: ${{parent.jobs.shout.outputs.loud}}
                """);
        Cli.Result created = Cli.runAgainst(server.url(), "job", "create", "-f", yaml.toString(), "-o", "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(HttpJson.parse(created.out()).path("steps")).hasSize(3);
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!server.http().get("/api/v1/jobs/cli-pipeline").json().path("status").asText().matches("Completed|Failed|Canceled")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(100);
        }
        Cli.Result shown = Cli.runAgainst(server.url(), "job", "show", "cli-pipeline");
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("Steps:", "STEP", "write", "shout", "read", "Completed", "cli-pipeline-shout");
        JsonNode json = HttpJson.parse(Cli.runAgainst(server.url(), "job", "show", "cli-pipeline", "--output", "json").out());
        assertThat(json.path("status").asText()).as(json.toString()).isEqualTo("Completed");
        assertThat(json.path("steps").findValuesAsText("status")).containsOnly("Completed");
        assertThat(json.path("spec").path("jobs").path("shout").path("component").path("code").asText()).startsWith("snapshot:");
        assertThat(json.path("spec").path("jobs").path("write").path("code").asText()).startsWith("snapshot:");
        assertThat(Cli.runAgainst(server.url(), "job", "logs", "cli-pipeline-read").out()).contains("PIPELINE-CLI");
    }

    @Test
    void createsAPipelineWhoseSweepStepsTrialIsALocalComponentFile(@TempDir Path dir) throws IOException, InterruptedException {
        Path components = Files.createDirectories(dir.resolve("components"));
        Path componentCode = Files.createDirectories(components.resolve("try"));
        // Writes its value and logs it as the metric m.
        Files.writeString(componentCode.resolve("Try.java"), """
                import java.net.URI;
                import java.net.http.*;
                import java.nio.file.*;

                public class Try {
                    public static void main(String[] args) throws Exception {
                        Files.createDirectories(Path.of(args[1]));
                        Files.writeString(Path.of(args[1], "value.txt"), args[0]);
                        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(System.getenv("MLFLOW_TRACKING_URI")
                                + "/api/2.0/mlflow/runs/log-metric")).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\\"run_id\\":\\"" + System.getenv("MLFLOW_RUN_ID")
                                        + "\\",\\"key\\":\\"m\\",\\"value\\":" + args[0] + ",\\"timestamp\\":0}"));
                        if (System.getenv("MLFLOW_TRACKING_TOKEN") != null) {
                            request.header("Authorization", "Bearer " + System.getenv("MLFLOW_TRACKING_TOKEN"));
                        }
                        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException(response.body());
                        }
                    }
                }
                """);
        Files.writeString(components.resolve("try.yml"), """
                type: command
                name: try
                code: ./try
                command: %s Try.java ${{inputs.v}} ${{outputs.out}}
                inputs:
                  v:
                    type: integer
                outputs:
                  out:
                    type: uri_folder
                """.formatted(Path.of(System.getProperty("java.home"), "bin", "java")));
        Path yaml = Files.writeString(dir.resolve("pipeline.yml"), """
                type: pipeline
                name: cli-sweep-pipeline
                jobs:
                  tune:
                    type: sweep
                    trial: ./components/try.yml
                    inputs:
                      v: ${{search_space.v}}
                    outputs:
                      out:
                    sampling_algorithm: grid
                    search_space:
                      v: {type: choice, values: [4, 9, 2]}
                    objective: {primary_metric: m, goal: maximize}
                    limits: {max_total_trials: 3}
                  read:
                    command: cat ${{inputs.best}}/value.txt
                    inputs:
                      best: ${{parent.jobs.tune.outputs.out}}
                """);
        Cli.Result created = Cli.runAgainst(server.url(), "job", "create", "-f", yaml.toString(), "-o", "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!server.http().get("/api/v1/jobs/cli-sweep-pipeline").json().path("status").asText().matches("Completed|Failed|Canceled")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(100);
        }
        JsonNode json = HttpJson.parse(Cli.runAgainst(server.url(), "job", "show", "cli-sweep-pipeline", "--output", "json").out());
        assertThat(json.path("status").asText()).as(json.toString()).isEqualTo("Completed");
        assertThat(json.path("spec").path("jobs").path("tune").path("trial").path("code").asText()).startsWith("snapshot:");
        assertThat(Cli.runAgainst(server.url(), "job", "logs", "cli-sweep-pipeline-read").out()).contains("9");
    }

    @Test
    void createWithStreamPrintsTheLogUntilTheJobEndsAndExitsFiveUnlessItCompleted(@TempDir Path dir) throws IOException {
        Path ok = Files.writeString(dir.resolve("ok.yml"), "name: cli-stream-ok\ncommand: echo first && echo second\n");
        Cli.Result completed = Cli.runAgainst(server.url(), "job", "create", "-f", ok.toString(), "--stream");
        assertThat(completed.exitCode()).as(completed.err()).isZero();
        assertThat(completed.out()).contains("Created job 'cli-stream-ok'", "first\nsecond\n", "Job 'cli-stream-ok' ended Completed");

        Path failing = Files.writeString(dir.resolve("fail.yml"), "name: cli-stream-fail\ncommand: echo trying && exit 3\n");
        Cli.Result failed = Cli.runAgainst(server.url(), "job", "create", "-f", failing.toString(), "--stream", "-o", "json");
        assertThat(failed.exitCode()).isEqualTo(ExitCodes.JOB_NOT_COMPLETED);
        assertThat(failed.err()).contains("trying", "job 'cli-stream-fail' ended Failed");
        assertThat(HttpJson.parse(failed.out()).path("exit_code").asInt()).isEqualTo(3);
    }

    @Test
    void cancelStopsARunningJob(@TempDir Path dir) throws IOException, InterruptedException {
        Path yaml = Files.writeString(dir.resolve("sleep.yml"), "name: cli-sleep\ncommand: sleep 60\n");
        assertThat(Cli.runAgainst(server.url(), "job", "create", "-f", yaml.toString()).exitCode()).isZero();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!server.http().get("/api/v1/jobs/cli-sleep").json().path("status").asText().equals("Running")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(Cli.runAgainst(server.url(), "job", "cancel", "cli-sleep").out()).contains("cli-sleep");
        Cli.Result logs = Cli.runAgainst(server.url(), "job", "logs", "--follow", "cli-sleep");
        assertThat(logs.out()).contains("Canceled");
    }

    @Test
    void invalidYamlIsAUsageErrorAndNothingIsSent(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("bad.yml"), "command: [oops\n");
        Cli.Result result = Cli.runAgainst(server.url(), "job", "create", "-f", yaml.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Invalid YAML at line");
    }

    @Test
    void environmentsAndComputeTargets() {
        assertThat(Cli.runAgainst(server.url(), "environment", "create", "py", "--executable", "python3").out())
                .contains("Created environment py:1.");
        assertThat(Cli.runAgainst(server.url(), "environment", "list").out()).contains("py", "process", "python3");
        Cli.Result compute = Cli.runAgainst(server.url(), "compute", "create", "gpu", "--namespace", "ml", "--memory", "2Gi",
                "--max-concurrent-jobs", "2", "--registry", "registry.example:5000/team");
        assertThat(compute.exitCode()).as(compute.err()).isZero();
        assertThat(Cli.runAgainst(server.url(), "compute", "show", "gpu").out()).contains("Registry:", "registry.example:5000/team");
        assertThat(Cli.runAgainst(server.url(), "compute", "list").out()).contains("local", "gpu", "ml");
        assertThat(Cli.runAgainst(server.url(), "compute", "update", "gpu", "--max-concurrent-jobs", "4", "-o", "json").out())
                .contains("\"max_concurrent_jobs\" : 4");
        assertThat(Cli.runAgainst(server.url(), "compute", "delete", "local").exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(Cli.runAgainst(server.url(), "compute", "delete", "gpu").out()).contains("Deleted compute target 'gpu'.");
    }

    @Test
    void environmentCreateReadsAzureStyleFilesAndTheFilesTheyName(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("requirements.txt"), "scikit-learn==1.5.2\npandas>=2\n");
        Path pip = Files.writeString(dir.resolve("pip-env.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json
                name: sk
                description: scikit-learn
                tags: {team: vision}
                python: "3.11"
                requirements: requirements.txt
                """);
        Cli.Result created = Cli.runAgainst(server.url(), "environment", "create", "-f", pip.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created environment sk:1.");
        assertThat(Cli.runAgainst(server.url(), "environment", "show", "sk").out()).contains("3.11", "scikit-learn==1.5.2", "pandas>=2");
        assertThat(Cli.runAgainst(server.url(), "environment", "build-log", "sk").out()).contains("Build of sk:1: not built");

        Files.writeString(dir.resolve("conda.yml"), "name: c\ndependencies:\n  - python=3.10\n  - pip\n  - pip: [mlflow]\n");
        Path conda = Files.writeString(dir.resolve("conda-env.yml"), "name: base-plus-conda\nimage: python:3.10-slim\nconda_file: conda.yml\n");
        assertThat(Cli.runAgainst(server.url(), "environment", "create", "-f", conda.toString(), "-o", "json").out())
                .contains("\"kind\" : \"image\"", "pip: [mlflow]");

        Path both = Files.writeString(dir.resolve("both.yml"), "name: bad\npython: \"3.11\"\nimage: python:3.11\n");
        Cli.Result refused = Cli.runAgainst(server.url(), "environment", "create", "-f", both.toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(refused.err()).contains("'python'");
        Path missing = Files.writeString(dir.resolve("missing.yml"), "name: bad\nconda_file: nowhere.yml\n");
        assertThat(Cli.runAgainst(server.url(), "environment", "create", "-f", missing.toString()).err())
                .contains("conda_file", "is not a file");
    }

    @Test
    void environmentCreateUploadsTheBuildFolderAsASnapshot(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docker/etc"));
        Files.writeString(dir.resolve("docker/train.Dockerfile"), "FROM python:3.12-slim\nCOPY etc /etc/app\n");
        Files.writeString(dir.resolve("docker/etc/app.conf"), "x=1\n");
        Path file = Files.writeString(dir.resolve("built.yml"), """
                name: built
                build:
                  path: docker
                  dockerfile_path: train.Dockerfile
                """);
        Cli.Result created = Cli.runAgainst(server.url(), "environment", "create", "-f", file.toString(), "-o", "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("\"kind\" : \"image\"", "\"context\" : \"snapshot:", "\"dockerfile_path\" : \"train.Dockerfile\"");
        assertThat(Cli.runAgainst(server.url(), "environment", "list").out()).contains("built", "build train.Dockerfile");
        assertThat(Cli.runAgainst(server.url(), "environment", "show", "built").out()).contains("Build:", "snapshot:", "train.Dockerfile");

        Path noFolder = Files.writeString(dir.resolve("nofolder.yml"), "name: nf\nbuild: {path: absent}\n");
        assertThat(Cli.runAgainst(server.url(), "environment", "create", "-f", noFolder.toString()).err())
                .contains("build.path", "is not a folder");
        Path noDockerfile = Files.writeString(dir.resolve("nodockerfile.yml"), "name: nd\nbuild: {path: docker}\n");
        assertThat(Cli.runAgainst(server.url(), "environment", "create", "-f", noDockerfile.toString()).err())
                .contains("build.dockerfile_path", "no such file");
    }
}
