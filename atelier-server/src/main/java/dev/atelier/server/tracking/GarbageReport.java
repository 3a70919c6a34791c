package dev.atelier.server.tracking;

/** What a garbage collection removed for good. */
public record GarbageReport(long runs, long experiments, long metrics, long params, long tags, long artifactBytes) {
    public GarbageReport plus(GarbageReport other) {
        return new GarbageReport(runs + other.runs, experiments + other.experiments, metrics + other.metrics,
                params + other.params, tags + other.tags, artifactBytes + other.artifactBytes);
    }
}
