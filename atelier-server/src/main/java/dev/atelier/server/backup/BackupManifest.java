package dev.atelier.server.backup;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code manifest.json}, written last into a backup: its presence marks a complete backup, and restore reads what to do
 * from it.
 *
 * @param version          the Atelier version that wrote it
 * @param createdAt        when the database copy was taken (ms since the epoch)
 * @param database         {@code sqlite} ({@code atelier.db}) or {@code postgresql} ({@code atelier.pgdump})
 * @param artifacts        {@code copied} (under {@code artifacts/}) or the {@code s3://} URI of the artifact store, which
 *                         is referenced, not copied
 * @param masterKey        {@code included} ({@code master.key}), {@code not_included} (the data directory's key file was
 *                         left out) or {@code environment} (the server takes its key from {@code ATELIER_MASTER_KEY})
 * @param files            how many files were copied besides the database
 * @param bytes            their size
 */
public record BackupManifest(String version, @JsonProperty("created_at") long createdAt, String database, String artifacts,
                             @JsonProperty("master_key") String masterKey, long files, long bytes) {
    public static final String FILE_NAME = "manifest.json";
    public static final String COPIED = "copied";
    public static final String KEY_INCLUDED = "included";
    public static final String KEY_NOT_INCLUDED = "not_included";
    public static final String KEY_FROM_ENVIRONMENT = "environment";

    public BackupManifest {
        requireNonNull(version, "version is null");
        requireNonNull(database, "database is null");
        requireNonNull(artifacts, "artifacts is null");
        requireNonNull(masterKey, "masterKey is null");
    }

    /** The artifact store's URI when artifacts were referenced rather than copied. */
    public Optional<String> referencedArtifacts() {
        return COPIED.equals(artifacts) ? Optional.empty() : Optional.of(artifacts);
    }
}
