package dev.atelier.server.tracking;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a run of points of one metric, stored as one row of {@code metric_chunks}.
 * Format 1: a version byte, then 24 bytes per point — step, timestamp and the IEEE-754 bits of the
 * value, big-endian — in the order the points were logged. NaN and ±Infinity keep their bits, so no
 * separate NaN flag is needed. Thread-safe (stateless).
 */
public final class MetricChunk {
    private static final byte FORMAT = 1;
    private static final int POINT_BYTES = 24;

    private MetricChunk() {
    }

    /** Encodes {@code points} (their keys are not stored: a chunk belongs to one series). */
    public static byte[] encode(List<Metric> points) {
        ByteBuffer buffer = ByteBuffer.allocate(1 + points.size() * POINT_BYTES);
        buffer.put(FORMAT);
        for (Metric point : points) {
            buffer.putLong(point.step()).putLong(point.timestamp()).putLong(Double.doubleToRawLongBits(point.value()));
        }
        return buffer.array();
    }

    /** Appends {@code points} to an encoded chunk, as if both had been logged in one call. */
    public static byte[] append(byte[] chunk, List<Metric> points) {
        byte[] tail = encode(points);
        byte[] joined = new byte[chunk.length + tail.length - 1];
        System.arraycopy(chunk, 0, joined, 0, chunk.length);
        System.arraycopy(tail, 1, joined, chunk.length, tail.length - 1);
        return joined;
    }

    /** Receives the points of a chunk without an object per point. */
    interface PointVisitor {
        void point(long step, long timestamp, double value);
    }

    /** Calls {@code visitor} for each point of a chunk, in stored order. */
    static void visit(byte[] chunk, PointVisitor visitor) {
        ByteBuffer buffer = ByteBuffer.wrap(chunk);
        byte format = buffer.get();
        if (format != FORMAT || (chunk.length - 1) % POINT_BYTES != 0) {
            throw new IllegalStateException("metric chunk of an unknown format " + format + " (" + chunk.length + " bytes)");
        }
        while (buffer.hasRemaining()) {
            long step = buffer.getLong();
            long timestamp = buffer.getLong();
            visitor.point(step, timestamp, Double.longBitsToDouble(buffer.getLong()));
        }
    }

    /** Decodes a chunk into points named {@code key}, appending them to {@code into}. */
    public static void decode(byte[] chunk, String key, List<Metric> into) {
        visit(chunk, (step, timestamp, value) -> into.add(new Metric(key, value, timestamp, step)));
    }

    static List<Metric> decode(byte[] chunk, String key) {
        List<Metric> points = new ArrayList<>((chunk.length - 1) / POINT_BYTES);
        decode(chunk, key, points);
        return points;
    }

}
