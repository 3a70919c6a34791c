package dev.atelier.server.data;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One immutable version of a data asset: the files at {@code path} on {@code datastore} as they
 * were when it was registered (their {@code digest} says so).
 *
 * @param digest    {@code sha256:<hex>} of the file, or for a folder of the sorted lines {@code <path> <sha256>}
 * @param profile   for tables: the profile and preview computed at registration ({@link TableProfiler})
 * @param archived  hidden from lists and from {@code @latest}, still usable by its number
 */
public record DataVersion(String name, int version, DataType type, String datastore, String path, String description,
                          Map<String, String> tags, String digest, long sizeBytes, int fileCount, Optional<JsonNode> profile,
                          boolean archived, String createdBy, long createdAt) {
    public DataVersion {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(datastore, "datastore is null");
        requireNonNull(path, "path is null");
        requireNonNull(description, "description is null");
        tags = Map.copyOf(tags);
        requireNonNull(digest, "digest is null");
        requireNonNull(profile, "profile is null");
        requireNonNull(createdBy, "createdBy is null");
    }

    /** {@code data:<name>:<version>}, the reference jobs and other domains use. */
    public String reference() {
        return DataReference.PREFIX + name + ":" + version;
    }

    /** {@code datastore://<datastore>/<path>}. */
    public String uri() {
        return "datastore://" + datastore + "/" + path;
    }
}
