package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * What jobs need of the data domain (docs/data.md), and nothing more: resolving data inputs when a
 * job is submitted, bringing them to the process, registering outputs as data asset versions and
 * recording lineage. Implemented over the data services by {@link DataServiceJobData}.
 * Errors are {@code AtelierException}s naming the job document's field.
 */
public interface JobData {
    /**
     * A resolved input.
     *
     * @param path a data reference pinned to its number ({@code data:<name>:<version>}) or the datastore URI
     * @param type {@code uri_file} or {@code uri_folder}: what the process gets
     */
    record Resolved(String path, String type) {
        public Resolved {
            requireNonNull(path, "path is null");
            requireNonNull(type, "type is null");
        }
    }

    /** An output registered as a data asset version when the job completes ({@code outputs.<x>.name/version}). */
    record OutputAsset(String name, OptionalInt version) {
        public OutputAsset {
            requireNonNull(name, "name is null");
            requireNonNull(version, "version is null");
        }
    }

    /**
     * Resolves {@code data:<name>:<version>}, {@code data:<name>@latest} or {@code datastore://...};
     * refuses a missing asset, version or path, and a type that does not fit the declared one.
     */
    Resolved resolve(String workspace, String field, String path, Optional<String> declaredType);

    /** Whether a resolved input is a version of a {@code table} data asset (a datastore path never is). */
    boolean isTable(String workspace, Resolved input);

    /**
     * The profile of a table data asset version ({@code data:<name>:<version>}, as {@link #resolve} pinned it): its format,
     * row count and columns (docs/data.md). Refuses, naming {@code field}, a version that is not a table.
     */
    JsonNode tableProfile(String workspace, String field, String reference);

    /** Refuses an output asset name that cannot be registered, or a version number already taken. */
    void checkOutput(String workspace, String field, OutputAsset output);

    /** Refuses an output {@code path} ({@code datastore://<datastore>/<path>}) whose datastore does not exist. */
    void checkOutputPath(String workspace, String field, String uri);

    /**
     * Copies the file or folder at {@code local} to {@code uri} ({@code datastore://<datastore>/<path>}): a folder's files
     * below it, a file at it. What was there before is replaced.
     */
    void storeOutput(String workspace, Path local, String type, String uri) throws IOException;

    /** Copies a resolved input below {@code folder}; returns what the process is given (the folder, or the file). */
    Path download(String workspace, Resolved input, Path folder) throws IOException;

    /**
     * The files of a resolved input where they lie, by the paths {@link #download} would give them below its folder, when
     * every one is a file of a local folder store: a job may read them in place instead of copying them. Read-only: never
     * write through them. Empty when any is elsewhere (an object store).
     */
    default Optional<java.util.SortedMap<String, Path>> localFiles(String workspace, Resolved input) throws IOException {
        return Optional.empty();
    }

    /**
     * Where in its download folder a resolved input's process path points, known before the download: the file's
     * path for a {@code uri_file} input, empty for a folder.
     */
    String downloadedFile(String workspace, Resolved input);

    /** The URI a {@code direct} input binds to: the version's {@code datastore://} URI, or the given one. */
    String directUri(String workspace, Resolved input);

    /** Records that the run read the input (data asset versions only; a datastore path has no version). */
    void recordInput(String workspace, Resolved input, String runId, String source);

    /**
     * Registers the file or folder at {@code local} as a new version of {@code output} on the default
     * datastore and records it as produced by the run; returns its {@code data:<name>:<version>}.
     * {@code type} is {@code uri_file}, {@code uri_folder}, or {@code table} (a CSV file, profiled).
     * Nothing is left registered or stored when it fails.
     */
    String registerOutput(String workspace, Path local, String type, OutputAsset output, String runId, String source,
                          String createdBy) throws IOException;

    /**
     * As {@link #registerOutput} for one file named {@code fileName} ({@code type} {@code uri_file} or {@code table}) whose
     * bytes {@code content} gives: written once, straight to the datastore, with no local copy first. Reads
     * {@code content} to its end; the caller closes it.
     */
    String registerOutputFile(String workspace, String fileName, java.io.InputStream content, String type, OutputAsset output,
                              String runId, String source, String createdBy) throws IOException;
}
