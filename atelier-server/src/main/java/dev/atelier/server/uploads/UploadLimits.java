package dev.atelier.server.uploads;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How long unfinished uploads live and how many of their bytes a workspace may hold (docs/security.md,
 * "Upload limits").
 *
 * @param expiry              an upload session without a chunk for this long, and a snapshot blob that no
 *                            snapshot refers to and that was not uploaded or named for this long, are removed
 *                            ({@code --upload-expiry})
 * @param workspaceQuotaBytes most bytes of unfinished upload sessions plus unreferenced snapshot blobs one
 *                            workspace may hold ({@code --workspace-upload-quota})
 */
public record UploadLimits(Duration expiry, long workspaceQuotaBytes) {
    public static final Duration DEFAULT_EXPIRY = Duration.ofHours(24);
    public static final long DEFAULT_WORKSPACE_QUOTA_BYTES = 10L << 30;
    public static final UploadLimits DEFAULTS = new UploadLimits(DEFAULT_EXPIRY, DEFAULT_WORKSPACE_QUOTA_BYTES);

    public UploadLimits {
        requireNonNull(expiry, "expiry is null");
        if (expiry.toMillis() < 1) {
            throw new IllegalArgumentException("the upload expiry must be positive: " + expiry);
        }
        if (workspaceQuotaBytes < 1) {
            throw new IllegalArgumentException("the workspace upload quota must be positive: " + workspaceQuotaBytes);
        }
    }

    /** The expiry as the flag takes it: {@code 24h}, {@code 90m}, {@code 45s}, {@code 1500ms}. */
    public String expiryText() {
        long millis = expiry.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
