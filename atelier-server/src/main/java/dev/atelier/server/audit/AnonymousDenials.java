package dev.atelier.server.audit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many denials of callers without valid credentials are recorded: at most
 * {@link #PER_ADDRESS_PER_MINUTE} per client address and {@link #PER_MINUTE} in all per clock minute;
 * the others are counted as dropped (the {@code atelier_audit_anonymous_denials_dropped_total}
 * metric). Anyone can send such requests, so they must not be able to fill the database or a
 * workspace's log. Memory: one small entry per address of the current minute. Thread-safe.
 */
final class AnonymousDenials {
    static final int PER_ADDRESS_PER_MINUTE = 10;
    static final int PER_MINUTE = 1_000;

    private final Map<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long minute = Long.MIN_VALUE;

    /** Whether a denial from {@code address} at {@code nowMillis} may be recorded; counts it as dropped otherwise. */
    boolean admit(String address, long nowMillis) {
        long current = nowMillis / 60_000;
        if (current != minute) {
            synchronized (this) {
                if (current != minute) {
                    byAddress.clear();
                    total.set(0);
                    minute = current;
                }
            }
        }
        boolean admitted = total.incrementAndGet() <= PER_MINUTE
                && byAddress.computeIfAbsent(address, key -> new AtomicInteger()).incrementAndGet() <= PER_ADDRESS_PER_MINUTE;
        if (!admitted) {
            dropped.incrementAndGet();
        }
        return admitted;
    }

    long dropped() {
        return dropped.get();
    }
}
