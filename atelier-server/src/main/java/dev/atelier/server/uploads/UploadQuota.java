package dev.atelier.server.uploads;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * The per-workspace upload quota: the bytes of unfinished upload sessions plus those of snapshot
 * blobs no snapshot refers to, summed over the registered {@link PendingUploads}, may not exceed
 * {@link UploadLimits#workspaceQuotaBytes()}. Committed data (registered data versions, snapshots,
 * run artifacts) does not count. The check reads committed usage, so parallel uploads into one
 * workspace may pass it together and end over the limit by at most the chunks in flight.
 * Thread-safe.
 */
public final class UploadQuota {
    private final UploadLimits limits;
    private final List<PendingUploads> sources = new CopyOnWriteArrayList<>();

    public UploadQuota(UploadLimits limits) {
        this.limits = requireNonNull(limits, "limits is null");
    }

    /** A quota no upload reaches, for services built outside a server (tests, tools). */
    public static UploadQuota unlimited() {
        return new UploadQuota(new UploadLimits(UploadLimits.DEFAULT_EXPIRY, Long.MAX_VALUE));
    }

    public UploadLimits limits() {
        return limits;
    }

    public void add(PendingUploads source) {
        sources.add(requireNonNull(source, "source is null"));
    }

    List<PendingUploads> sources() {
        return List.copyOf(sources);
    }

    public long used(String workspace) {
        long used = 0;
        for (PendingUploads source : sources) {
            used += source.pendingBytes(workspace);
        }
        return used;
    }

    /** Bytes {@code workspace} may still upload (0 when at or over the limit). */
    public long remaining(String workspace) {
        return Math.max(0, limits.workspaceQuotaBytes() - used(workspace));
    }

    /** QUOTA_EXCEEDED (413) when {@code bytes} more would take {@code workspace} over the quota. */
    public void check(String workspace, long bytes) {
        long used = used(workspace);
        if (bytes > limits.workspaceQuotaBytes() - used) {
            throw exceeded(workspace, used, bytes);
        }
    }

    /** The 413 naming the quota, the workspace, what it holds, what was asked and the limit. */
    public AtelierException exceeded(String workspace, long used, long bytes) {
        return new AtelierException(ErrorCode.QUOTA_EXCEEDED, "Upload quota exceeded in workspace '" + workspace + "': "
                + "unfinished uploads and unreferenced snapshot blobs use " + used + " bytes, this upload needs "
                + (bytes == Long.MAX_VALUE ? "more" : bytes + " more") + ", and the limit is " + limits.workspaceQuotaBytes()
                + " bytes (--workspace-upload-quota). Nothing of it was stored. Finish or delete unfinished uploads, "
                + "or wait until they expire (" + limits.expiryText() + " without activity).");
    }
}
