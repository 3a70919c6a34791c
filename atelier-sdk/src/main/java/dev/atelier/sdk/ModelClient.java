package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The model registry of one workspace: registering and aliasing through MLflow's registry API,
 * listing and detail (lineage, files, flavors) through the native API, downloads through the
 * artifact proxy. Models are named as MLflow names them: {@code models:/<name>/<version>},
 * {@code models:/<name>@<alias>}, {@code models:/<name>/<stage>}, {@code models:/<name>/latest}.
 * Thread-safe. Methods throw {@link AtelierException} when the server refuses the request and
 * {@link ServerUnreachableException} when it cannot be reached.
 */
public final class ModelClient {
    private static final int PAGE_SIZE = 1000;
    private static final String ARTIFACTS_SCHEME = "mlflow-artifacts:/";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final HttpTransport transport;
    private final Function<String, String> mlflowPaths;
    private final Function<String, String> nativePaths;
    private final Function<String, String> artifactPaths;

    ModelClient(HttpTransport transport, Function<String, String> mlflowPaths, Function<String, String> nativePaths,
                Function<String, String> artifactPaths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.mlflowPaths = requireNonNull(mlflowPaths, "mlflowPaths is null");
        this.nativePaths = requireNonNull(nativePaths, "nativePaths is null");
        this.artifactPaths = requireNonNull(artifactPaths, "artifactPaths is null");
    }

    /** Every model matching {@code filter} (MLflow's registry filter, such as {@code name LIKE 'fraud%'}; empty for all), by name. */
    public List<RegisteredModel> list(String filter) {
        List<RegisteredModel> models = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            String query = "models?max_results=" + PAGE_SIZE + (requireNonNull(filter, "filter is null").isEmpty() ? ""
                    : "&filter=" + HttpTransport.encode(filter)) + token.map(t -> "&page_token=" + HttpTransport.encode(t)).orElse("");
            JsonNode answer = transport.get(nativePaths.apply(query));
            answer.path("registered_models").forEach(node -> models.add(RegisteredModel.fromJson(node)));
            token = ExperimentClient.nextPageToken(answer);
        } while (token.isPresent());
        return models;
    }

    public RegisteredModel get(String name) {
        return RegisteredModel.fromJson(transport.get(nativePaths.apply("models/" + segment(name))).path("registered_model"));
    }

    /** Every version of a model, newest first, with aliases. */
    public List<ModelVersion> versions(String name) {
        List<ModelVersion> versions = new ArrayList<>();
        transport.get(nativePaths.apply("models/" + segment(name) + "/versions")).path("model_versions")
                .forEach(node -> versions.add(ModelVersion.fromJson(node)));
        return versions;
    }

    /** The version a {@code models:/} URI names, with lineage, files and flavors. */
    public ModelVersionDetail resolve(String modelUri) {
        return ModelVersionDetail.fromJson(transport.get(nativePaths.apply("model-versions/resolve?uri="
                + HttpTransport.encode(requireNonNull(modelUri, "modelUri is null")))));
    }

    /**
     * Registers the files at {@code source} ({@code runs:/<run_id>/<path>}, {@code mlflow-artifacts:/...},
     * {@code models:/...}) as the next version of {@code name}, creating the model when it does not
     * exist. The answer may still be PENDING_REGISTRATION for large models: see {@link #awaitRegistration}.
     */
    public ModelVersion register(String name, String source, Optional<String> runId, Optional<String> description,
                                 Map<String, String> tags) {
        try {
            transport.post(mlflowPaths.apply("registered-models/create"), HttpTransport.mapper().createObjectNode().put("name", name));
        } catch (AtelierException e) {
            if (e.errorCode() != ErrorCode.RESOURCE_ALREADY_EXISTS) {
                throw e;
            }
        }
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("name", name).put("source", requireNonNull(source, "source is null"));
        runId.ifPresent(id -> body.put("run_id", id));
        description.ifPresent(text -> body.put("description", text));
        ArrayNode tagList = body.putArray("tags");
        tags.forEach((key, value) -> tagList.addObject().put("key", key).put("value", value));
        return ModelVersion.fromJson(transport.post(mlflowPaths.apply("model-versions/create"), body).path("model_version"));
    }

    /**
     * Polls a version until it is no longer PENDING_REGISTRATION, as MLflow's client does, telling
     * {@code onPoll} each state seen; throws INVALID_STATE when it is still pending after {@code timeout}.
     */
    public ModelVersion awaitRegistration(String name, String version, Duration timeout, Consumer<ModelVersion> onPoll) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            ModelVersion current = ModelVersion.fromJson(transport.get(mlflowPaths.apply("model-versions/get?name="
                    + HttpTransport.encode(name) + "&version=" + HttpTransport.encode(version))).path("model_version"));
            onPoll.accept(current);
            if (!current.isPending()) {
                return current;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AtelierException(ErrorCode.INVALID_STATE, "Model " + name + " version " + version
                        + " is still PENDING_REGISTRATION after " + timeout.toSeconds() + "s");
            }
            sleep();
        }
    }

    /** Points {@code alias} at a version (MLflow's alias rules: not {@code latest}, not {@code v<digits>}). */
    public void setAlias(String name, String alias, String version) {
        transport.post(mlflowPaths.apply("registered-models/alias"), HttpTransport.mapper().createObjectNode()
                .put("name", name).put("alias", alias).put("version", version));
    }

    /**
     * Moves a version to {@code stage} ({@code None}, {@code Staging}, {@code Production} or {@code Archived}, MLflow's
     * stages), leaving the model's other versions where they are; returns the version as it now is.
     */
    public ModelVersion transitionStage(String name, String version, String stage) {
        return ModelVersion.fromJson(transport.post(mlflowPaths.apply("model-versions/transition-stage"), HttpTransport.mapper()
                .createObjectNode().put("name", name).put("version", version).put("stage", stage)
                .put("archive_existing_versions", false)).path("model_version"));
    }

    public void deleteAlias(String name, String alias) {
        transport.delete(mlflowPaths.apply("registered-models/alias?name=" + HttpTransport.encode(name) + "&alias="
                + HttpTransport.encode(alias)));
    }

    /**
     * Downloads the files of the version {@code modelUri} names into {@code directory} (created when
     * missing), reporting bytes to {@code progress}. Each file is written to a temporary name and
     * then renamed, so an interrupted download leaves no half file under its real name.
     *
     * @throws AtelierException INVALID_STATE when the version is not READY
     */
    public ModelDownload download(String modelUri, Path directory, ModelDownload.Progress progress) {
        ModelVersionDetail detail = resolve(modelUri);
        String location = detail.downloadUri().orElseThrow(() -> new AtelierException(ErrorCode.INVALID_STATE,
                "Model " + detail.version().name() + " version " + detail.version().version() + " is " + detail.version().status()
                        + "; it has no files to download yet"));
        String folder = location.startsWith(ARTIFACTS_SCHEME) ? location.substring(ARTIFACTS_SCHEME.length()) : location;
        Path root = directory.toAbsolutePath().normalize();
        progress.start(detail.files().stream().mapToLong(ModelVersionDetail.ModelFile::size).sum());
        long bytes = 0;
        try {
            Files.createDirectories(root);
            for (ModelVersionDetail.ModelFile file : detail.files()) {
                bytes += fetch(folder + "/" + file.path(), inside(root, file.path()), progress);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model into " + root + ": " + e.getMessage(), e);
        }
        return new ModelDownload(detail.version(), root, detail.files().size(), bytes);
    }

    private long fetch(String artifactPath, Path target, ModelDownload.Progress progress) throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        long total = 0;
        try (InputStream in = transport.openStream(artifactPaths.apply(artifactPath)); OutputStream out = Files.newOutputStream(partial)) {
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                total += read;
                progress.advance(read);
            }
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        return total;
    }

    /** {@code relative} inside {@code root}; a server naming a path outside it is refused. */
    private static Path inside(Path root, String relative) {
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new AtelierException(ErrorCode.INTERNAL_ERROR, "the server named a model file outside the download folder: " + relative);
        }
        return target;
    }

    private static String segment(String name) {
        return HttpTransport.encode(requireNonNull(name, "name is null"));
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_INTERVAL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the model's registration", e);
        }
    }
}
