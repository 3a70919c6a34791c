package dev.atelier.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Json;
import dev.atelier.server.jobs.Job;
import dev.atelier.server.jobs.JobControl;
import dev.atelier.server.jobs.JobData;
import dev.atelier.server.jobs.JobKind;
import dev.atelier.server.jobs.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * One batch scoring job, run on its own threads: for a no-code deployment the input's CSV and Parquet files, read where
 * they lie on a local datastore (else copied to a work folder first), planned as mini-batches of rows (file by file, in
 * sorted order), read by one thread straight into
 * number arrays and scored by {@code max_concurrency_per_instance × instance_count} workers in this JVM; for a
 * deployment with a scoring script, the input copied to a work folder and its mini-batches handed to
 * {@link ScriptScoring}. Each finished mini-batch's rows go to their own part file ({@link BatchOutput}), and the
 * mini-batch is recorded in {@code batch_mini_batches} after its file is complete; a resumed job (after a restart or a
 * take-over) skips the recorded ones, and the output is written once, to the datastore, from the part files of the
 * recorded ones in order, so no row appears twice. A failed mini-batch is tried again up to
 * {@code max_retries} times; its rows count against {@code error_threshold}. Thread-safe.
 */
final class BatchScoringRun implements JobKind.Execution {
    private static final Logger LOG = LoggerFactory.getLogger(BatchScoringRun.class);
    private static final long PUBLISH_MILLIS = 1_000;
    private static final int MAX_LISTED_FAILURES = 50;

    private final JobControl control;
    private final Job job;
    private final BatchStore store;
    private final BatchScoringKind.Resources resources;
    private final Path work;
    private final AtomicLong lastPublish = new AtomicLong();
    private final Progress progress = new Progress();
    private final BatchOutput outputParts;
    private volatile JobStatus stopStatus;
    private volatile String stopReason;
    private volatile boolean suspended;
    private volatile boolean thresholdExceeded;
    private volatile boolean done;
    /** What the mini-batches hold: rows, or files (a scoring script over files). */
    private volatile String unit = "rows";
    /** Whether output rows begin with their source file and row (a no-code model's do; a script's rows are its own). */
    private volatile boolean sourceColumns = true;
    private volatile int errorThreshold = -1;
    private Thread thread;

    BatchScoringRun(JobControl control, BatchStore store, BatchScoringKind.Resources resources) {
        this.control = requireNonNull(control, "control is null");
        this.job = control.job();
        this.store = requireNonNull(store, "store is null");
        this.resources = requireNonNull(resources, "resources is null");
        this.work = resources.workRoot().resolve(job.workspace()).resolve(job.name());
        this.outputParts = new BatchOutput(work.resolve("parts"));
    }

    BatchScoringRun start() {
        thread = Thread.ofPlatform().name("atelier-batch-" + job.name()).daemon().start(this::run);
        return this;
    }

    @Override
    public void stop(JobStatus status, String reason) {
        if (stopStatus == null) {
            stopReason = reason;
            stopStatus = status;
        }
    }

    @Override
    public void suspend() {
        suspended = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        done = true;
    }

    @Override
    public boolean done() {
        return done;
    }

    boolean stopping() {
        return suspended || stopStatus != null || thresholdExceeded;
    }

    private void run() {
        try {
            execute();
        } catch (AtelierException e) {
            end(JobStatus.FAILED, e.getMessage());
        } catch (Exception | LinkageError e) {
            LOG.warn("Batch scoring job {}/{} failed", job.workspace(), job.name(), e);
            end(JobStatus.FAILED, "The batch scoring failed: " + e);
        } finally {
            if (!suspended) {
                done = true;
            }
        }
    }

    private void end(JobStatus status, String reason) {
        if (suspended) {
            return;
        }
        control.log(List.of("[batch] " + status.wireName() + ": " + reason));
        control.finish(status, reason, Optional.of(summary(Optional.empty())));
        deleteWork();
    }

    private void execute() throws Exception {
        JsonNode spec = job.spec();
        BatchDeployment deployment = BatchJson.storedDeployment(job.workspace(), spec.get("deployment"));
        BatchSettings settings = deployment.settings();
        errorThreshold = settings.errorThreshold();
        JobData.Resolved input = new JobData.Resolved(spec.path("input").path("path").asText(), spec.path("input").path("type").asText());
        String outputName = spec.path("output_name").asText();
        store.addJob(job.workspace(), job.name(), spec.path("endpoint").asText(), deployment.name(), control.now());
        Files.createDirectories(work);
        control.tagRun(java.util.Map.of("atelier.batch.model", deployment.modelName() + "/" + deployment.modelVersion()));
        List<MiniBatchResult> finished = store.miniBatches(job.workspace(), job.name());
        if (finished.isEmpty()) {
            control.data().recordInput(job.workspace(), input, job.runId(), "job:" + job.name());
        }
        control.log(List.of("[batch] " + (finished.isEmpty() ? "Scoring " : "Resuming (" + finished.size()
                + " mini-batches finished before) ") + input.path() + " with deployment " + deployment.name() + " (model "
                + deployment.modelName() + " version " + deployment.modelVersion() + "), " + settings.parallelism() + " at once"));
        Set<Long> skip = new HashSet<>();
        for (MiniBatchResult result : finished) {
            skip.add(key(result.fileIndex(), result.chunk()));
            progress.add(result);
        }
        if (deployment.scripted()) {
            boolean tabular = spec.path("tabular").asBoolean();
            unit = tabular ? "rows" : "files";
            sourceColumns = false;
            new ScriptScoring(this, resources, deployment, tabular).score(prepareInput(input), work, skip);
            publish(true);
        } else {
            scoreInJvm(deployment, input, skip);
        }
        if (suspended) {
            return;
        }
        if (stopStatus != null) {
            end(stopStatus, stopReason);
            return;
        }
        if (thresholdExceeded) {
            end(JobStatus.FAILED, progress.failedItems + " " + unit + " failed in " + progress.failed + " mini-batches, more than "
                    + "error_threshold " + settings.errorThreshold());
            return;
        }
        if (progress.done + progress.failed < progress.total) {
            throw AtelierException.invalidState((progress.total - progress.done - progress.failed) + " mini-batches were not scored");
        }
        Optional<String> output = Optional.empty();
        if (settings.outputAction() == BatchSettings.OutputAction.APPEND_ROW) {
            output = Optional.of(registerOutput(settings.outputFileName(), outputName));
        }
        String reason = progress.failed == 0 ? "Scored " + progress.scoredItems + " " + unit + " in " + progress.done + " mini-batches"
                : "Scored " + progress.scoredItems + " " + unit + "; " + progress.failed + " mini-batches (" + progress.failedItems
                + " " + unit + ") failed, within error_threshold";
        control.log(List.of("[batch] " + reason + output.map(ref -> "; output " + ref).orElse("")));
        control.finish(JobStatus.COMPLETED, reason, Optional.of(summary(output)));
        deleteWork();
    }

    private void scoreInJvm(BatchDeployment deployment, JobData.Resolved input, Set<Long> skip) throws Exception {
        BatchSettings settings = deployment.settings();
        List<InputFile> files = tableFiles(input);
        try (JvmScorer scorer = new JvmScorer(resources.loadModel(job.workspace(), deployment, work.resolve("model")))) {
            publish(true);
            score(deployment, scorer, files, settings.miniBatchSize().orElse(BatchSettings.DEFAULT_ROWS), skip);
        }
    }

    /** An input file of a no-code deployment: its path in the input, and where it is read. */
    private record InputFile(String name, Path path) {
    }

    /**
     * The CSV and Parquet files of the input, in path order: read in place when the datastore is a local folder (its
     * files are only read), else copied to the work folder first.
     */
    private List<InputFile> tableFiles(JobData.Resolved input) throws IOException {
        Optional<java.util.SortedMap<String, Path>> local = control.data().localFiles(job.workspace(), input);
        List<InputFile> files = new ArrayList<>();
        if (local.isPresent()) {
            local.get().forEach((name, path) -> {
                if (TableRows.readable(name.substring(name.lastIndexOf('/') + 1))) {
                    files.add(new InputFile(name, path));
                }
            });
        } else {
            Path folder = prepareInput(input);
            inputFiles(folder, TableRows::readable).forEach(name -> files.add(new InputFile(name, folder.resolve(name))));
        }
        if (files.isEmpty()) {
            throw AtelierException.invalidParameter("The input has no .csv or .parquet file: a deployment without a scoring script "
                    + "scores the rows of CSV and Parquet files");
        }
        return files;
    }

    private Path prepareInput(JobData.Resolved input) throws IOException {
        Path folder = work.resolve("input");
        Path complete = work.resolve("input.complete");
        if (!Files.exists(complete)) {
            deleteTree(folder);
            Files.createDirectories(folder);
            control.data().download(job.workspace(), input, folder);
            Files.writeString(complete, input.path());
        }
        return folder;
    }

    /** The files below {@code folder} whose names {@code accept}, as paths relative to it with '/', in path order. */
    static List<String> inputFiles(Path folder, java.util.function.Predicate<String> accept) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).map(file -> folder.relativize(file).toString().replace('\\', '/'))
                    .filter(name -> accept.test(name.substring(name.lastIndexOf('/') + 1))).sorted().toList();
        }
    }

    /** A mini-batch read and waiting for a worker; {@code error} is a bad value found while reading it. */
    private record Work(int file, int chunk, String name, long firstRow, double[] values, int rows, int width, String error,
                        List<List<String>> cells) { // cells: the rows as text, for a model with string columns (JvmScorer.typed)
    }

    private static final Work END = new Work(-1, -1, "", 0, new double[0], 0, 0, null, null);

    /**
     * Reads the files once, in order, cutting each into mini-batches of {@code rowsPerBatch} rows as it goes (no pass
     * counts the rows first): the reader stays at most {@code 2 × parallelism} mini-batches ahead of the workers. The
     * number of mini-batches is known once the last file is read; until then {@code total} is estimated from the sizes
     * of the files not read yet and the rows per byte of those read.
     */
    private void score(BatchDeployment deployment, JvmScorer scorer, List<InputFile> files, int rowsPerBatch,
                       Set<Long> skip) throws Exception {
        BatchSettings settings = deployment.settings();
        int parallelism = settings.parallelism();
        BlockingQueue<Work> queue = new ArrayBlockingQueue<>(parallelism * 2);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            workers.add(Thread.ofPlatform().name("atelier-batch-" + job.name() + "-" + i).daemon().start(() -> {
                try {
                    for (Work next = queue.take(); next != END; next = queue.take()) {
                        if (!stopping()) {
                            process(next, scorer, settings);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        long[] sizes = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            sizes[i] = Files.size(files.get(i).path());
        }
        long planned = 0;
        long rowsRead = 0;
        long bytesRead = 0;
        boolean complete = false;
        try {
            for (int i = 0; i < files.size() && !stopping(); i++) {
                String name = files.get(i).name();
                long fileRows = 0;
                try (TableRows reader = TableRows.open(files.get(i).path());
                     CsvCells cells = scorer.typed() && reader instanceof CsvRows ? new CsvCells(files.get(i).path()) : null) {
                    int[] columns;
                    try {
                        columns = scorer.columns(reader.header(), name);
                    } catch (AtelierException e) {
                        columns = null;
                        fileRows = TableRows.countRows(files.get(i).path());
                        for (int chunk = 0; (long) chunk * rowsPerBatch < fileRows; chunk++) {
                            planned++;
                            if (!skip.contains(key(i, chunk))) {
                                long count = Math.min(rowsPerBatch, fileRows - (long) chunk * rowsPerBatch);
                                queue.put(new Work(i, chunk, name, (long) chunk * rowsPerBatch, new double[0], (int) count, 0, e.getMessage(), null));
                            }
                        }
                    }
                    for (int chunk = 0; columns != null && !stopping(); chunk++) {
                        if (skip.contains(key(i, chunk))) {
                            if (cells != null) {
                                cells.skip(rowsPerBatch);
                            } else {
                                reader.skip(rowsPerBatch);
                            }
                            fileRows += rowsPerBatch;
                            planned++;
                            continue;
                        }
                        double[] values = new double[cells == null ? rowsPerBatch * columns.length : 0];
                        List<List<String>> text = cells == null ? null : cells.read(rowsPerBatch, columns);
                        int read = cells == null ? reader.read(rowsPerBatch, columns, values) : text.size();
                        if (read == 0) {
                            break;
                        }
                        planned++;
                        progress.total = Math.max(progress.total, planned);
                        queue.put(new Work(i, chunk, name, (long) chunk * rowsPerBatch, values, read, columns.length,
                                cells == null ? reader.error() : cells.error(), text));
                        fileRows += read;
                        if (read < rowsPerBatch) {
                            break;
                        }
                    }
                }
                rowsRead += fileRows;
                bytesRead += sizes[i];
                long estimate = planned;
                for (int j = i + 1; j < files.size() && bytesRead > 0; j++) {
                    estimate += (long) Math.ceil((double) sizes[j] * rowsRead / bytesRead / rowsPerBatch);
                }
                progress.total = estimate;
            }
            complete = !stopping();
        } finally {
            if (complete) {
                progress.total = planned;
            }
            for (int i = 0; i < workers.size(); i++) {
                queue.put(END);
            }
            for (Thread worker : workers) {
                worker.join();
            }
            publish(true);
        }
    }

    private void process(Work work, JvmScorer scorer, BatchSettings settings) {
        int attempts = 0;
        String error = work.error();
        boolean scored = false;
        if (error == null) {
            while (!scored && !stopping()) {
                attempts++;
                try {
                    JvmScorer.Prediction prediction = work.cells() != null ? scorer.predict(work.cells())
                            : scorer.predict(work.values(), work.rows(), work.width());
                    outputParts.writeRows(work.file(), work.chunk(), work.name(), work.firstRow(), work.rows(), prediction,
                            settings.outputAction() == BatchSettings.OutputAction.APPEND_ROW);
                    scored = true;
                } catch (RuntimeException | IOException e) {
                    error = e instanceof AtelierException ? e.getMessage() : e.toString();
                    boolean retry = attempts <= settings.maxRetries();
                    control.log(List.of("[batch] Mini-batch " + describe(work) + " failed (attempt " + attempts + " of "
                            + (settings.maxRetries() + 1) + "): " + error));
                    if (!retry) {
                        break;
                    }
                }
            }
            if (!scored && stopping()) {
                return;
            }
        } else {
            attempts = 1;
            control.log(List.of("[batch] Mini-batch " + describe(work) + " failed: " + error));
        }
        record(new MiniBatchResult(work.file(), work.chunk(), scored, work.rows(), attempts,
                scored ? Optional.empty() : Optional.of(describe(work) + ": " + error), control.now()));
    }

    /** Records a finished mini-batch (once), counts it, and notes when the failed items pass {@code error_threshold}. */
    void record(MiniBatchResult result) {
        if (store.finishMiniBatch(job.workspace(), job.name(), result)) {
            progress.add(result);
            if (errorThreshold >= 0 && progress.failedItems > errorThreshold) {
                thresholdExceeded = true;
            }
        }
        publish(false);
    }

    Job job() {
        return job;
    }

    JobControl control() {
        return control;
    }

    /** Appends one line to the job's log. */
    void log(String line) {
        control.log(List.of(line));
    }

    /** The number of mini-batches the job has, once planned. */
    void total(long total) {
        progress.total = total;
        publish(true);
    }

    private static String describe(Work work) {
        return work.name() + " rows " + work.firstRow() + "-" + (work.firstRow() + work.rows() - 1);
    }

    /** Writes a scoring script's rows for a mini-batch to its part file ({@link BatchOutput#writeLines}). */
    void writeLines(int file, int chunk, String columns, List<String> lines) throws IOException {
        outputParts.writeLines(file, chunk, columns, lines);
    }

    /**
     * Registers the recorded mini-batches' part files, in order, as the output (once): written straight to the datastore
     * as they are read, with no assembled copy first; the version's reference.
     */
    private String registerOutput(String fileName, String outputName) throws IOException {
        Optional<String> registered = store.output(job.workspace(), job.name());
        if (registered.isPresent()) {
            return registered.get();
        }
        String reference;
        try (java.io.InputStream content = outputParts.assembled(sourceColumns, store.miniBatches(job.workspace(), job.name()))) {
            reference = control.data().registerOutputFile(job.workspace(), fileName, content, "table",
                    new JobData.OutputAsset(outputName, OptionalInt.empty()), job.runId(), "job:" + job.name(), job.createdBy());
        }
        store.setOutput(job.workspace(), job.name(), reference);
        return reference;
    }

    private void publish(boolean now) {
        long time = control.now();
        long last = lastPublish.get();
        if ((now || time - last >= PUBLISH_MILLIS) && lastPublish.compareAndSet(last, time)) {
            control.progress(summary(Optional.empty()));
            if (!now) {
                control.log(List.of("[batch] Progress: " + progress.done + " of " + progress.total + " mini-batches done, " + progress.failed
                        + " failed, " + progress.retried.get() + " retried"));
            }
        }
    }

    private ObjectNode summary(Optional<String> output) {
        ObjectNode json = Json.mapper().createObjectNode();
        ObjectNode batches = json.putObject("mini_batches");
        batches.put("total", progress.total);
        batches.put("done", progress.done);
        batches.put("failed", progress.failed);
        batches.put("retried", progress.retried.get());
        json.putObject(unit).put("scored", progress.scoredItems).put("failed", progress.failedItems);
        ArrayNode failures = json.putArray("failures");
        synchronized (progress) {
            progress.errors.stream().limit(MAX_LISTED_FAILURES).forEach(failures::add);
        }
        output.ifPresent(reference -> json.put("output", reference));
        json.put("output_name", job.spec().path("output_name").asText());
        json.put("endpoint", job.spec().path("endpoint").asText());
        json.put("deployment", job.spec().path("deployment").path("name").asText());
        return json;
    }

    static long key(int file, int chunk) {
        return ((long) file << 32) | chunk;
    }

    private void deleteWork() {
        try {
            deleteTree(work);
        } catch (IOException e) {
            LOG.warn("Could not remove the work folder of batch job {}/{}: {}", job.workspace(), job.name(), e.toString());
        }
    }

    static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Counts of finished mini-batches; written by the workers. */
    private static final class Progress {
        volatile long total;
        volatile long done;
        volatile long failed;
        volatile long scoredItems;
        volatile long failedItems;
        final AtomicLong retried = new AtomicLong();
        final List<String> errors = new ArrayList<>();

        synchronized void add(MiniBatchResult result) {
            if (result.done()) {
                done++;
                scoredItems += result.items();
            } else {
                failed++;
                failedItems += result.items();
                result.error().ifPresent(errors::add);
            }
            retried.addAndGet(Math.max(0, result.attempts() - 1));
        }
    }
}
