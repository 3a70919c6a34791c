package dev.atelier.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.Placement;
import dev.atelier.server.compute.RunHandle;
import dev.atelier.server.compute.RunListener;
import dev.atelier.server.compute.RunOutcome;
import dev.atelier.server.compute.RunSpec;
import dev.atelier.server.compute.Staged;
import dev.atelier.server.compute.WorkloadId;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentKind;
import dev.atelier.server.http.Json;
import dev.atelier.server.serving.script.ScoringRunner;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A batch scoring job's mini-batches scored by the deployment's scoring script (Azure ML's {@code init()} /
 * {@code run(mini_batch)} contract, docs/batch-endpoints.md): planned here, run by {@code instance_count} workloads on
 * the deployment's compute (compute/Workloads, sandboxed as command jobs are), each a Python driver shipped in the
 * server's resources ({@code batch/atelier_batch_driver.py}, standard library only) that keeps
 * {@code max_concurrency_per_instance} worker processes, retries and times out mini-batches itself, and reports each
 * outcome as one stdout line ({@link #PREFIX}). This class turns those lines into part files and recorded mini-batches
 * through its {@link BatchScoringRun}, so resuming, output assembly and {@code error_threshold} are the run's.
 *
 * <p>A mini-batch is a run of {@code mini_batch_size} files of the input (in path order), or for tabular input
 * ({@code mltable}) a run of rows of one CSV file, cut here into a CSV file of its own. The input and model are staged
 * in the server's work folder ({@link StagedFolders}): copied for targets on the server's host, fetched as zips by
 * workloads elsewhere (Kubernetes), with a token of the job's user when authentication is on. Thread-safe: workload
 * listeners call in on the backends' threads.
 */
final class ScriptScoring {
    static final String PREFIX = "ATELIER-BATCH ";
    private static final String DRIVER = "atelier_batch_driver.py";
    private static final String PLAN = "atelier_batch_plan.json";
    private static final String DRIVER_SOURCE = load();
    private static final int INIT_FAILED_EXIT = 3;
    /** How long the workloads' token (to fetch their folders away from the server's host) lasts: a week; revoked at the job's end. */
    private static final long TOKEN_SECONDS = 7 * 24 * 3600;

    private final BatchScoringRun run;
    private final BatchScoringKind.Resources resources;
    private final BatchDeployment deployment;
    private final boolean tabular;
    private final Map<Integer, Planned> planned = new HashMap<>();
    private final Map<Integer, RunHandle> handles = new ConcurrentHashMap<>();

    /** One mini-batch: its key in {@code batch_mini_batches} (file index, chunk), its items and how it is described. */
    private record Planned(int file, int chunk, List<String> items, long count, String description) {
    }

    ScriptScoring(BatchScoringRun run, BatchScoringKind.Resources resources, BatchDeployment deployment, boolean tabular) {
        this.run = requireNonNull(run, "run is null");
        this.resources = requireNonNull(resources, "resources is null");
        this.deployment = requireNonNull(deployment, "deployment is null");
        this.tabular = tabular;
    }

    /** Files per mini-batch, or rows for tabular input; Azure's defaults when the deployment does not say. */
    private int batchSize() {
        return deployment.settings().miniBatchSize().orElse(tabular ? BatchSettings.DEFAULT_ROWS : BatchSettings.DEFAULT_FILES);
    }

    /** Plans, launches the instances and waits for them; returns when all ended (or were stopped). */
    void score(Path inputDir, Path work, Set<Long> skip) throws Exception {
        String workspace = run.job().workspace();
        ComputeTarget target = resources.computes().get(workspace, deployment.compute());
        Path staged = tabular ? cutTables(inputDir, work.resolve("chunks")) : inputDir;
        if (!tabular) {
            planFiles(inputDir);
        }
        run.total(planned.size());
        List<Integer> open = planned.entrySet().stream().filter(entry -> !skip.contains(BatchScoringRun.key(entry.getValue().file(),
                entry.getValue().chunk()))).map(Map.Entry::getKey).sorted().toList();
        if (open.isEmpty()) {
            return;
        }
        Optional<Environment> environment = deployment.environment().map(reference -> resources.environments().resolve(workspace,
                "environment", reference));
        Path model = resources.modelFiles(workspace, deployment, work.resolve("model"));
        StagedFolders.link(work, "data", staged);
        StagedFolders.link(work, "model", model);
        Optional<String> token = run.control().workloadToken(TOKEN_SECONDS);
        int instances = Math.min(deployment.settings().instanceCount(), open.size());
        CountDownLatch ended = new CountDownLatch(instances);
        List<Instance> listeners = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            List<Integer> mine = new ArrayList<>();
            for (int j = i; j < open.size(); j += instances) {
                mine.add(open.get(j));
            }
            Instance instance = new Instance(i, ended);
            listeners.add(instance);
            WorkloadId id = new WorkloadId(workspace, "batch-job", run.job().name() + "-" + i);
            Placement placement = resources.workloads().placement(target, id);
            handles.put(i, resources.workloads().launch(target, spec(id, i, placement, environment, token, work, mine), instance));
        }
        while (!ended.await(200, TimeUnit.MILLISECONDS)) {
            if (run.stopping()) {
                handles.values().forEach(RunHandle::stop);
            }
        }
        if (run.stopping()) {
            return;
        }
        for (Instance instance : listeners) {
            if (instance.outcome instanceof RunOutcome.Failed failed) {
                boolean init = failed.exitCode().isPresent() && failed.exitCode().getAsInt() == INIT_FAILED_EXIT;
                throw AtelierException.invalidParameter("Instance " + instance.index + " of the scoring script failed: " + (init
                        ? "importing " + deployment.scoringScript().orElseThrow() + " or its init() raised (the traceback is in the log)"
                        : failed.reason()));
            }
        }
    }

    /**
     * Instance {@code index}'s workload: its code folder (snapshot, driver, plan) staged in the work folder, then given to
     * it with the data and model folders, copied on the server's host or fetched as zips elsewhere.
     */
    private RunSpec spec(WorkloadId id, int index, Placement placement, Optional<Environment> environment, Optional<String> token, Path work,
                         List<Integer> mine) throws IOException {
        String workspace = run.job().workspace();
        String job = run.job().name();
        String code = "code-" + index;
        Path codeFolder = work.resolve("staged").resolve(code);
        BatchScoringRun.deleteTree(codeFolder);
        resources.snapshots().materialize(workspace, deployment.code().orElseThrow(), Files.createDirectories(codeFolder));
        Files.writeString(codeFolder.resolve(DRIVER), DRIVER_SOURCE, StandardCharsets.UTF_8);
        Files.write(codeFolder.resolve(PLAN), plan(placement, mine));
        StagedFolders.link(work, code, codeFolder);
        Path data = work.resolve("staged").resolve("data.location");
        Path model = work.resolve("model");
        List<Staged> files = List.of(
                new Staged.Code(folder -> copyTree(codeFolder, folder), StagedFolders.remoteZip(job, code)),
                new Staged.Input("data", folder -> copyTree(Path.of(Files.readString(data)), folder), StagedFolders.remoteZip(job, "data")),
                new Staged.Input("model", folder -> copyTree(model, folder), StagedFolders.remoteZip(job, "model")));
        Map<String, String> variables = new HashMap<>(deployment.settings().environmentVariables());
        variables.putAll(ScoringRunner.modelVariables(placement.input("model")));
        variables.put("AZUREML_LOG_LEVEL", deployment.settings().loggingLevel().toUpperCase(java.util.Locale.ROOT));
        String python = environment.filter(env -> env.kind() == EnvironmentKind.PROCESS).flatMap(Environment::executable).orElse("python3");
        String command = "exec " + quote(python) + " " + quote(placement.codeDir() + "/" + DRIVER) + " " + quote(placement.codeDir() + "/" + PLAN);
        return new RunSpec(id, command, variables, Set.of(), token, environment, files, List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private byte[] plan(Placement placement, List<Integer> mine) throws IOException {
        BatchSettings settings = deployment.settings();
        ObjectNode plan = Json.mapper().createObjectNode();
        plan.put("script", deployment.scoringScript().orElseThrow());
        plan.put("code_dir", placement.codeDir());
        plan.put("input_dir", placement.input("data"));
        plan.put("tabular", tabular);
        plan.put("output", settings.outputAction() == BatchSettings.OutputAction.APPEND_ROW);
        plan.put("max_concurrency", settings.maxConcurrencyPerInstance());
        plan.put("max_retries", settings.maxRetries());
        plan.put("timeout", settings.timeoutSeconds());
        plan.put("logging_level", settings.loggingLevel());
        ArrayNode batches = plan.putArray("mini_batches");
        for (int id : mine) {
            ObjectNode batch = batches.addObject().put("id", id);
            planned.get(id).items().forEach(batch.putArray("items")::add);
        }
        return Json.mapper().writeValueAsBytes(plan);
    }

    /** Every file of the input, in path order, cut into runs of {@code mini_batch_size}. */
    private void planFiles(Path inputDir) throws IOException {
        List<String> files = BatchScoringRun.inputFiles(inputDir, name -> true);
        if (files.isEmpty()) {
            throw AtelierException.invalidParameter("The input has no files to score");
        }
        int size = batchSize();
        for (int first = 0; first < files.size(); first += size) {
            List<String> items = files.subList(first, Math.min(files.size(), first + size));
            planned.put(planned.size(), new Planned(first, 0, List.copyOf(items), items.size(), items.size() == 1 ? items.getFirst()
                    : items.getFirst() + " … " + items.getLast() + " (" + items.size() + " files)"));
        }
    }

    /**
     * Cuts every CSV file of the input into files of {@code mini_batch_size} rows, each with the header, below
     * {@code chunks} (once: a resumed job finds them); a record may span lines (a quoted field with a line break).
     */
    private Path cutTables(Path inputDir, Path chunks) throws IOException {
        List<String> files = BatchScoringRun.inputFiles(inputDir, name -> name.toLowerCase(java.util.Locale.ROOT).endsWith(".csv"));
        if (files.isEmpty()) {
            throw AtelierException.invalidParameter("The input has no .csv file: tabular input (mltable) to a scoring script is read from "
                    + "CSV files");
        }
        Path complete = chunks.resolveSibling("chunks.complete");
        boolean cut = Files.exists(complete);
        int size = batchSize();
        for (int file = 0; file < files.size(); file++) {
            String name = files.get(file);
            try (BufferedReader reader = Files.newBufferedReader(inputDir.resolve(name), StandardCharsets.UTF_8)) {
                String header = record(reader);
                int chunk = 0;
                long rows = 0;
                for (String line = record(reader); line != null; chunk++) {
                    String chunkName = file + "-" + chunk + ".csv";
                    BufferedWriter out = cut ? null : Files.newBufferedWriter(Files.createDirectories(chunks).resolve(chunkName));
                    long first = rows;
                    try {
                        if (out != null) {
                            out.write(header + "\n");
                        }
                        for (; line != null && rows - first < size; line = record(reader)) {
                            if (!line.isBlank()) {
                                if (out != null) {
                                    out.write(line + "\n");
                                }
                                rows++;
                            }
                        }
                    } finally {
                        if (out != null) {
                            out.close();
                        }
                    }
                    if (rows > first) {
                        planned.put(planned.size(), new Planned(file, chunk, List.of(chunkName), rows - first, name + " rows " + first
                                + "-" + (rows - 1)));
                    }
                }
            }
        }
        Files.writeString(complete, "");
        return chunks;
    }

    /** The next CSV record's text (lines joined while a quote is open), or null at the end. */
    private static String record(BufferedReader reader) throws IOException {
        String line = reader.readLine();
        if (line == null) {
            return null;
        }
        StringBuilder record = new StringBuilder(line);
        while (line != null && record.chars().filter(c -> c == '"').count() % 2 == 1) {
            line = reader.readLine();
            if (line != null) {
                record.append('\n').append(line);
            }
        }
        return record.toString();
    }

    /** Hears one instance: its driver's outcome lines become recorded mini-batches, other lines the job's log. */
    private final class Instance implements RunListener {
        private final int index;
        private final CountDownLatch ended;
        private volatile RunOutcome outcome;

        Instance(int index, CountDownLatch ended) {
            this.index = index;
            this.ended = ended;
        }

        @Override
        public void started() {
            run.log("[batch] Instance " + index + " started");
        }

        @Override
        public void log(String stream, String line) {
            if (!line.startsWith(PREFIX)) {
                run.log(line);
                return;
            }
            try {
                outcome(Json.mapper().readTree(line.substring(PREFIX.length())));
            } catch (IOException | RuntimeException e) {
                run.log("[batch] Instance " + index + ": an outcome line could not be read: " + e);
            }
        }

        private void outcome(JsonNode event) throws IOException {
            Planned batch = planned.get(event.path("id").asInt());
            if (batch == null) {
                throw new IllegalArgumentException("no mini-batch " + event.path("id"));
            }
            switch (event.path("event").asText()) {
                case "attempt_failed" -> run.log("[batch] Mini-batch " + batch.description() + " failed (attempt " + event.path("attempt")
                        .asInt() + " of " + event.path("of").asInt() + "): " + event.path("error").asText());
                case "done" -> {
                    if (event.path("lines").size() > 0) {
                        List<String> columns = new ArrayList<>();
                        event.path("columns").forEach(column -> columns.add(BatchOutput.csv(column.asText())));
                        List<String> lines = new ArrayList<>();
                        event.path("lines").forEach(text -> lines.add(text.asText()));
                        run.writeLines(batch.file(), batch.chunk(), String.join(",", columns), lines);
                    }
                    run.record(new MiniBatchResult(batch.file(), batch.chunk(), true, batch.count(), event.path("attempts").asInt(),
                            Optional.empty(), run.control().now()));
                }
                case "failed" -> {
                    String error = event.path("error").asText();
                    String last = error.lines().filter(text -> !text.isBlank()).reduce((first, second) -> second).orElse(error);
                    run.record(new MiniBatchResult(batch.file(), batch.chunk(), false, batch.count(), event.path("attempts").asInt(),
                            Optional.of(batch.description() + ": " + last), run.control().now()));
                }
                default -> throw new IllegalArgumentException("unknown event " + event.path("event"));
            }
        }

        @Override
        public void ended(RunOutcome outcome, Optional<Path> outputs) {
            this.outcome = outcome;
            if (outcome instanceof RunOutcome.Failed failed) {
                run.log("[batch] Instance " + index + " failed: " + failed.reason());
            }
            ended.countDown();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path path : walk.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static String load() {
        try (InputStream in = ScriptScoring.class.getResourceAsStream("/batch/" + DRIVER)) {
            if (in == null) {
                throw new IllegalStateException("The resource /batch/" + DRIVER + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
