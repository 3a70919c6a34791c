package dev.atelier.server.web.data;

import dev.atelier.server.data.DataLineage;
import dev.atelier.server.data.DataVersion;
import dev.atelier.server.data.Datastore;
import dev.atelier.server.web.PageFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The models of the data area's templates (one record per page, each holding its {@link PageFrame}). */
public final class DataViews {
    private DataViews() {
    }

    /** The data assets list: the latest version of each asset whose name contains {@code search}. */
    public record DataListView(PageFrame frame, String search, boolean archived, List<DataVersion> assets,
                               Optional<String> nextUrl, Optional<String> previousUrl) {
        public DataListView {
            requireNonNull(frame, "frame is null");
            requireNonNull(search, "search is null");
            assets = List.copyOf(assets);
        }
    }

    /** One asset and all its versions, archived ones included (marked). */
    public record AssetView(PageFrame frame, String name, List<DataVersion> versions) {
        public AssetView {
            requireNonNull(frame, "frame is null");
            requireNonNull(name, "name is null");
            versions = List.copyOf(versions);
        }
    }

    /** One version: its attributes, its table profile when it is a profiled table, and its lineage. */
    public record VersionView(PageFrame frame, DataVersion version, Optional<TableProfileView> profile, LineageView lineage) {
        public VersionView {
            requireNonNull(frame, "frame is null");
            requireNonNull(version, "version is null");
            requireNonNull(profile, "profile is null");
            requireNonNull(lineage, "lineage is null");
        }

        /** Tags in name order. */
        public List<Map.Entry<String, String>> tags() {
            return version.tags().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
        }
    }

    /** Runs that read and produced a version, and model versions registered from the readers. */
    public record LineageView(List<DataLineage.Use> readBy, List<DataLineage.Use> producedBy, List<DataLineage.ModelUse> models) {
        public LineageView {
            readBy = List.copyOf(readBy);
            producedBy = List.copyOf(producedBy);
            models = List.copyOf(models);
        }

        /** Splits {@link DataLineage#ofVersion}'s answer ({@code runs}, {@code models}) by direction. */
        static LineageView of(Map<String, Object> answer) {
            List<DataLineage.Use> read = new ArrayList<>();
            List<DataLineage.Use> produced = new ArrayList<>();
            if (answer.get("runs") instanceof List<?> runs) {
                for (Object item : runs) {
                    if (item instanceof DataLineage.Use use) {
                        (use.direction().equals("output") ? produced : read).add(use);
                    }
                }
            }
            List<DataLineage.ModelUse> models = new ArrayList<>();
            if (answer.get("models") instanceof List<?> found) {
                for (Object item : found) {
                    if (item instanceof DataLineage.ModelUse model) {
                        models.add(model);
                    }
                }
            }
            return new LineageView(read, produced, models);
        }
    }

    /** Every datastore of the workspace, the default first. */
    public record DatastoreListView(PageFrame frame, List<DatastoreRow> datastores) {
        public DatastoreListView {
            requireNonNull(frame, "frame is null");
            datastores = List.copyOf(datastores);
        }
    }

    /** One datastore; {@code assets} are the latest versions (archived included) that live on it. */
    public record DatastoreView(PageFrame frame, DatastoreRow datastore, List<DataVersion> assets) {
        public DatastoreView {
            requireNonNull(frame, "frame is null");
            requireNonNull(datastore, "datastore is null");
            assets = List.copyOf(assets);
        }
    }

    /**
     * A datastore as the portal shows it: type, where its files are, whether it is the default.
     * Credentials are never shown, not even the names of the secrets holding them.
     *
     * @param settings ordered (label, value) pairs describing the location
     */
    public record DatastoreRow(String name, String type, String location, boolean isDefault, String description,
                               String createdBy, long createdAt, List<Map.Entry<String, String>> settings) {
        public DatastoreRow {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            requireNonNull(location, "location is null");
            requireNonNull(description, "description is null");
            requireNonNull(createdBy, "createdBy is null");
            settings = List.copyOf(settings);
        }

        static DatastoreRow of(Datastore datastore) {
            List<Map.Entry<String, String>> settings = new ArrayList<>();
            String location = switch (datastore.location()) {
                case Datastore.WorkspaceStorage ignored -> "the server's artifact storage";
                case Datastore.LocalFolder local -> {
                    settings.add(Map.entry("Root folder", local.root().toString()));
                    yield local.root().toString();
                }
                case Datastore.S3Bucket s3 -> {
                    s3.endpoint().ifPresent(endpoint -> settings.add(Map.entry("Endpoint", endpoint.toString())));
                    settings.add(Map.entry("Region", s3.region()));
                    settings.add(Map.entry("Bucket", s3.bucket()));
                    settings.add(Map.entry("Prefix", s3.prefix().isEmpty() ? "(none)" : s3.prefix()));
                    settings.add(Map.entry("Path-style access", Boolean.toString(s3.pathStyle())));
                    yield "s3://" + s3.bucket() + (s3.prefix().isEmpty() ? "" : "/" + s3.prefix());
                }
            };
            return new DatastoreRow(datastore.name(), datastore.location().type(), location,
                    datastore.name().equals(Datastore.DEFAULT), datastore.description(), datastore.createdBy(), datastore.createdAt(),
                    settings);
        }
    }
}
