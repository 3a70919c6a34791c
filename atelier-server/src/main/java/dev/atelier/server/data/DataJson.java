package dev.atelier.server.data;

import java.util.LinkedHashMap;
import java.util.Map;

/** The wire form of datastores and data versions in the native API (snake_case, as the rest of {@code /api/v1}). */
final class DataJson {
    private DataJson() {
    }

    /** A datastore with its settings; credentials appear only as the names of the secrets that hold them. */
    static Map<String, Object> datastore(Datastore datastore) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", datastore.name());
        json.put("type", datastore.location().type());
        json.put("is_default", datastore.name().equals(Datastore.DEFAULT));
        json.put("description", datastore.description());
        switch (datastore.location()) {
            case Datastore.WorkspaceStorage ignored -> {
            }
            case Datastore.LocalFolder local -> json.put("root", local.root().toString());
            case Datastore.S3Bucket s3 -> {
                s3.endpoint().ifPresent(endpoint -> json.put("endpoint", endpoint.toString()));
                json.put("region", s3.region());
                json.put("bucket", s3.bucket());
                json.put("prefix", s3.prefix());
                json.put("path_style", s3.pathStyle());
                s3.accessKeySecret().ifPresent(secret -> json.put("access_key_secret", secret));
                s3.secretKeySecret().ifPresent(secret -> json.put("secret_key_secret", secret));
            }
        }
        json.put("created_by", datastore.createdBy());
        json.put("created_at", datastore.createdAt());
        return json;
    }

    /** A data version; the profile only when asked (lists leave it out). */
    static Map<String, Object> version(DataVersion version, boolean withProfile) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", version.name());
        json.put("version", version.version());
        json.put("reference", version.reference());
        json.put("type", version.type().wireName());
        json.put("datastore", version.datastore());
        json.put("path", version.path());
        json.put("uri", version.uri());
        json.put("description", version.description());
        json.put("tags", version.tags());
        json.put("digest", version.digest());
        json.put("size_bytes", version.sizeBytes());
        json.put("file_count", version.fileCount());
        json.put("archived", version.archived());
        json.put("created_by", version.createdBy());
        json.put("created_at", version.createdAt());
        if (withProfile) {
            version.profile().ifPresent(profile -> json.put("profile", profile));
        }
        return json;
    }
}
