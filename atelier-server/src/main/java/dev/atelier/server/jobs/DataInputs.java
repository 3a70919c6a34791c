package dev.atelier.server.jobs;

import dev.atelier.api.AtelierException;
import dev.atelier.server.data.DataReference;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads the data parts of a job document: an input's {@code path} and {@code mode}, and an output's
 * {@code name} and {@code version}. Paths take Azure ML CLI v2's forms too: {@code azureml:<name>:<version>}
 * and {@code azureml:<name>@latest} become {@code data:...}, and
 * {@code azureml://datastores/<datastore>/paths/<path>} becomes {@code datastore://<datastore>/<path>}.
 * Only the form is checked here; whether the asset exists is checked when the job is submitted.
 */
final class DataInputs {
    private static final String AZURE_DATASTORE = "azureml://datastores/";
    private static final String AZURE_ASSET = "azureml:";
    private static final String DATASTORE = "datastore://";

    private DataInputs() {
    }

    /** A {@code uri_file}/{@code uri_folder} input: an uploaded snapshot, a data asset or a datastore path. */
    static JobInput parse(DocumentFields input, Optional<String> declaredType) {
        String field = input.pathOf("path");
        String path = input.requiredText("path");
        JobInput.Mode mode = input.text("mode").map(value -> mode(input.pathOf("mode"), value)).orElse(JobInput.Mode.DOWNLOAD);
        if (JobDocument.SNAPSHOT_REFERENCE.matcher(path).matches()) {
            if (mode == JobInput.Mode.DIRECT) {
                throw AtelierException.invalidParameter("Invalid value 'direct' for '" + input.pathOf("mode") + "': a local path is "
                        + "uploaded and always downloaded; direct is for data assets and datastore URIs");
            }
            return JobDocument.snapshotOf(field, path, declaredType.orElse("uri_folder").equals("uri_file"));
        }
        return new JobInput.Stored(declaredType, storedPath(field, path), mode);
    }

    /** {@code outputs.<x>.name} and {@code version}: an output to register as a data asset version, if named. */
    static Optional<JobData.OutputAsset> outputAsset(DocumentFields output) {
        Optional<String> name = output.text("name");
        Optional<String> version = output.text("version");
        if (name.isEmpty()) {
            if (version.isPresent()) {
                throw AtelierException.invalidParameter("Invalid '" + output.pathOf("version") + "': a version needs '"
                        + output.pathOf("name") + "', the data asset to register");
            }
            return Optional.empty();
        }
        OptionalInt number = OptionalInt.empty();
        if (version.isPresent()) {
            if (!version.get().matches("[1-9][0-9]{0,8}")) {
                throw output.invalid("version", "a positive integer (data asset versions are numbers)");
            }
            number = OptionalInt.of(Integer.parseInt(version.get()));
        }
        return Optional.of(new JobData.OutputAsset(name.get(), number));
    }

    /**
     * {@code outputs.<x>.path}: the datastore URI ({@code datastore://<datastore>/<path>} or Azure's
     * {@code azureml://datastores/<datastore>/paths/<path>}) the output is copied to when the job completes.
     */
    static Optional<String> outputPath(DocumentFields output) {
        return output.text("path").map(path -> {
            String field = output.pathOf("path");
            String stored = path.startsWith(AZURE_DATASTORE) || path.startsWith(DATASTORE) ? storedPath(field, path) : "";
            if (!stored.startsWith(DATASTORE) || stored.length() <= DATASTORE.length() || !stored.substring(DATASTORE.length()).contains("/")) {
                throw AtelierException.invalidParameter("Invalid value '" + path + "' for '" + field + "': expected "
                        + "datastore://<datastore>/<path> or azureml://datastores/<datastore>/paths/<path>");
            }
            return stored;
        });
    }

    private static JobInput.Mode mode(String field, String value) {
        for (JobInput.Mode mode : JobInput.Mode.values()) {
            if (mode.wireName().equals(value)) {
                return mode;
            }
        }
        throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field + "': expected download or direct "
                + "(Atelier does not mount data)");
    }

    private static String storedPath(String field, String path) {
        if (path.startsWith(AZURE_DATASTORE)) {
            String rest = path.substring(AZURE_DATASTORE.length());
            int paths = rest.indexOf("/paths/");
            if (paths < 1) {
                throw AtelierException.invalidParameter("Invalid value '" + path + "' for '" + field
                        + "': expected azureml://datastores/<datastore>/paths/<path>");
            }
            return DATASTORE + rest.substring(0, paths) + "/" + rest.substring(paths + "/paths/".length());
        }
        if (path.startsWith(DATASTORE)) {
            return path;
        }
        String reference = path.startsWith(AZURE_ASSET) ? DataReference.PREFIX + path.substring(AZURE_ASSET.length()) : path;
        if (!DataReference.isReference(reference)) {
            throw AtelierException.invalidParameter("Invalid value '" + path + "' for '" + field + "': the server cannot read "
                    + "local paths (submit with 'atelier job create -f' or the SDK, which upload them as snapshots); expected a data "
                    + "asset (data:<name>:<version>, data:<name>@latest) or a datastore URI (datastore://<datastore>/<path>)");
        }
        try {
            return DataReference.parse(reference).toString();
        } catch (AtelierException e) {
            throw AtelierException.invalidParameter("Invalid value '" + path + "' for '" + field + "': " + e.getMessage());
        }
    }
}
