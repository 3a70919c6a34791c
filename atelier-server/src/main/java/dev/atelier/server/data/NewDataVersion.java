package dev.atelier.server.data;

import java.util.Map;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * A request to register a data asset version.
 *
 * @param version a number to take, above every number used so far; empty for the next one
 */
public record NewDataVersion(String name, DataType type, Source source, String description, Map<String, String> tags,
                             OptionalInt version) {
    public NewDataVersion {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(source, "source is null");
        requireNonNull(description, "description is null");
        tags = Map.copyOf(tags);
        requireNonNull(version, "version is null");
    }

    /** Where the files come from. */
    public sealed interface Source {
    }

    /** Files already on a datastore, registered where they are ({@code datastore://<datastore>/<path>}). */
    public record DatastorePath(String datastore, String path) implements Source {
        public DatastorePath {
            requireNonNull(datastore, "datastore is null");
            requireNonNull(path, "path is null");
        }

        /** Parses {@code datastore://<name>/<path>}; {@code INVALID_PARAMETER_VALUE} otherwise. */
        public static DatastorePath parse(String uri) {
            String prefix = "datastore://";
            if (uri == null || !uri.startsWith(prefix) || uri.indexOf('/', prefix.length()) < 0) {
                throw dev.atelier.api.AtelierException.invalidParameter("Invalid value '" + uri + "' for parameter 'path': "
                        + "expected datastore://<datastore>/<path>");
            }
            String rest = uri.substring(prefix.length());
            int slash = rest.indexOf('/');
            return new DatastorePath(rest.substring(0, slash), rest.substring(slash + 1));
        }
    }

    /** Files uploaded in a resumable upload session, copied to the default datastore on registration. */
    public record Upload(String uploadId) implements Source {
        public Upload {
            requireNonNull(uploadId, "uploadId is null");
        }
    }
}
