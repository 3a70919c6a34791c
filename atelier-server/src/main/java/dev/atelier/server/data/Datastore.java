package dev.atelier.server.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A named connection to storage in one workspace (Azure ML's datastore). Data asset versions
 * point at a path on one.
 *
 * @param name        unique in the workspace; {@link #DEFAULT} is every workspace's default
 * @param location    where the files are
 * @param description free text, empty when none
 * @param createdBy   who registered it ({@code system} for the default one)
 * @param createdAt   epoch milliseconds
 */
public record Datastore(String name, Location location, String description, String createdBy, long createdAt) {
    /** The default datastore of every workspace: the server's artifact storage. */
    public static final String DEFAULT = "workspaceartifactstore";

    public Datastore {
        requireNonNull(name, "name is null");
        requireNonNull(location, "location is null");
        requireNonNull(description, "description is null");
        requireNonNull(createdBy, "createdBy is null");
    }

    /** Where a datastore's files are: a closed set, switched over without a default. */
    public sealed interface Location {
        /** The name on the wire: {@code workspace}, {@code local}, {@code s3}. */
        String type();
    }

    /** The workspace's own area on the server's artifact storage (local folder or S3, whichever the server uses). */
    public record WorkspaceStorage() implements Location {
        @Override
        public String type() {
            return "workspace";
        }
    }

    /** A folder on the server host, inside one of the roots the server allows. */
    public record LocalFolder(Path root) implements Location {
        public LocalFolder {
            requireNonNull(root, "root is null");
        }

        @Override
        public String type() {
            return "local";
        }
    }

    /**
     * A bucket on an S3-compatible service; the credentials are the values of two workspace
     * secrets, read server-side when the datastore is used, never stored here.
     */
    public record S3Bucket(Optional<URI> endpoint, String region, String bucket, String prefix, boolean pathStyle,
                           Optional<String> accessKeySecret, Optional<String> secretKeySecret) implements Location {
        public S3Bucket {
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(region, "region is null");
            requireNonNull(bucket, "bucket is null");
            requireNonNull(prefix, "prefix is null");
            requireNonNull(accessKeySecret, "accessKeySecret is null");
            requireNonNull(secretKeySecret, "secretKeySecret is null");
        }

        @Override
        public String type() {
            return "s3";
        }
    }
}
