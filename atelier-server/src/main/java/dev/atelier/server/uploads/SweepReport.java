package dev.atelier.server.uploads;

/**
 * What one upload sweep removed: upload sessions that expired, snapshot blobs no snapshot referred
 * to, and their bytes (as recorded when they were uploaded).
 */
public record SweepReport(long uploadSessions, long snapshotBlobs, long bytes) {
    public static final SweepReport NONE = new SweepReport(0, 0, 0);

    public SweepReport plus(SweepReport other) {
        return new SweepReport(uploadSessions + other.uploadSessions, snapshotBlobs + other.snapshotBlobs, bytes + other.bytes);
    }
}
