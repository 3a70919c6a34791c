package dev.atelier.server.web.models;

import dev.atelier.server.registry.ModelAlias;
import dev.atelier.server.registry.ModelVersion;
import dev.atelier.server.registry.ModelVersionDetail;
import dev.atelier.server.registry.RegisteredModel;
import dev.atelier.server.tracking.KeyValue;
import dev.atelier.server.web.Formats;
import dev.atelier.server.web.PageFrame;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/** What the model registry's pages show: one record per page, each holding its {@link PageFrame}. */
public final class ModelViews {
    private static final String ARTIFACTS_SCHEME = "mlflow-artifacts:";
    private static final int SUMMARY_LENGTH = 120;

    private ModelViews() {
    }

    /** The models list: the filter as typed, its error, one page of models and the links to the next and first pages. */
    public record ModelListView(PageFrame frame, String filter, String sort, Optional<String> error, List<ModelRow> models,
                                Optional<String> nextUrl, Optional<String> firstUrl) {
        public ModelListView {
            requireNonNull(frame, "frame is null");
            requireNonNull(error, "error is null");
            models = List.copyOf(models);
        }

        public List<String> sorts() {
            return ModelPages.SORTS;
        }
    }

    /** One model of the list: its newest version, aliases, tags and the first line of its description. */
    public record ModelRow(String name, String path, Optional<String> latestVersion, List<ModelAlias> aliases,
                           List<KeyValue> tags, long lastUpdated, String summary) {
        public ModelRow {
            aliases = List.copyOf(aliases);
            tags = List.copyOf(tags);
        }

        static ModelRow of(RegisteredModel model) {
            Optional<String> latest = model.latestVersions().stream().map(ModelVersion::version)
                    .max(Comparator.comparingLong(Long::parseLong));
            String description = model.description() == null ? "" : model.description().strip().lines().findFirst().orElse("");
            String summary = description.length() > SUMMARY_LENGTH ? description.substring(0, SUMMARY_LENGTH) + "…" : description;
            return new ModelRow(model.name(), ModelPages.modelPath(model.name()), latest, model.aliases(), model.tags(),
                    model.lastUpdatedTimestamp(), summary);
        }
    }

    /** A model's page: the model (description, tags, aliases) and every live version, newest first. */
    public record ModelView(PageFrame frame, RegisteredModel model, List<ModelVersion> versions) {
        public ModelView {
            requireNonNull(frame, "frame is null");
            requireNonNull(model, "model is null");
            versions = List.copyOf(versions);
        }

        public String path() {
            return ModelPages.modelPath(model.name());
        }

        public String versionUrl(ModelVersion version) {
            return frame.url(ModelPages.versionPath(version.name(), version.version()));
        }

        public String description() {
            return model.description() == null ? "" : model.description();
        }
    }

    /**
     * A version's page: its detail, the links to its model, run and experiment, its signature and
     * flavors ready to show, and each file with a download link (through the artifact proxy).
     */
    public record VersionView(PageFrame frame, ModelVersionDetail detail, String modelUrl, Optional<String> runUrl,
                              Optional<String> experimentUrl, Optional<SignatureTable> signature, List<SignatureTable.Flavor> flavors,
                              List<FileRow> files) {
        public VersionView {
            requireNonNull(frame, "frame is null");
            requireNonNull(detail, "detail is null");
            flavors = List.copyOf(flavors);
            files = List.copyOf(files);
        }

        public ModelVersion version() {
            return detail.modelVersion();
        }

        /** A prompt's template (its tag {@code mlflow.prompt.text}), when the version is a prompt of MLflow's prompt registry. */
        public Optional<String> promptText() {
            return version().tags().stream().filter(tag -> version().isPrompt() && tag.key().equals("mlflow.prompt.text"))
                    .map(KeyValue::value).findFirst();
        }

        /**
         * The name the deploy form offers for an online endpoint of this model: the model's name made a valid
         * endpoint name (3 to 32 letters, digits and dashes, starting with a letter).
         */
        public String endpointName() {
            return endpointName(version().name(), 32);
        }

        /** The batch endpoint's name the deploy form offers: {@code <model>-batch}. */
        public String batchEndpointName() {
            return endpointName(version().name(), 26) + "-batch";
        }

        private static String endpointName(String model, int length) {
            String name = model.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^[^a-z]+", "")
                    .replaceAll("-+$", "");
            name = name.length() < 3 ? "model-" + name : name;
            return name.substring(0, Math.min(length, name.length())).replaceAll("-+$", "");
        }

        static VersionView of(PageFrame frame, ModelVersionDetail detail) {
            ModelVersionDetail.Lineage lineage = detail.lineage();
            Optional<String> runUrl = lineage.runAvailable() ? Optional.of(frame.url("/runs/" + lineage.runId())) : Optional.empty();
            Optional<String> experimentUrl = Optional.ofNullable(lineage.experimentId()).map(id -> frame.url("/experiments/" + id));
            Optional<String> folder = Optional.ofNullable(detail.downloadUri()).filter(uri -> uri.startsWith(ARTIFACTS_SCHEME))
                    .map(uri -> uri.substring(ARTIFACTS_SCHEME.length()).replaceFirst("^/+", ""));
            List<FileRow> files = detail.files().stream().map(file -> new FileRow(file.path(), Formats.bytes(file.fileSize()),
                    folder.map(root -> frame.url("/api/2.0/mlflow-artifacts/artifacts/" + encodePath(root + "/" + file.path())))))
                    .toList();
            return new VersionView(frame, detail, frame.url(ModelPages.modelPath(detail.modelVersion().name())), runUrl,
                    experimentUrl, SignatureTable.of(detail.signature()), SignatureTable.flavors(detail.flavors()), files);
        }
    }

    /** A file of a version: path relative to the model's folder, size, and where to download it. */
    public record FileRow(String path, String size, Optional<String> downloadUrl) {
        public FileRow {
            requireNonNull(path, "path is null");
            requireNonNull(size, "size is null");
            requireNonNull(downloadUrl, "downloadUrl is null");
        }
    }

    private static String encodePath(String path) {
        return Arrays.stream(path.split("/"))
                .map(segment -> java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }
}
