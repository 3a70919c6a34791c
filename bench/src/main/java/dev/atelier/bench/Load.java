package dev.atelier.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a fixed number of operations on a fixed number of client threads and measures each one.
 * Each thread does operations {@code client, client + clients, ...}, so the work is split evenly
 * and the loop is bounded.
 */
final class Load {
    private Load() {
    }

    /** One operation; {@code client} is the index of the thread running it, {@code index} the operation's number. */
    @FunctionalInterface
    interface Operation {
        void run(int client, int index);
    }

    /** What a load measured: wall time and each operation's latency. */
    record Result(int operations, long wallNanos, long[] latencyNanos) {
        double perSecond() {
            return operations / (wallNanos / 1e9);
        }

        double percentileMillis(double percentile) {
            long[] sorted = latencyNanos.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }
    }

    static Result run(int clients, int operations, Operation operation) {
        long[] latencies = new long[operations];
        List<Future<?>> workers = new ArrayList<>();
        long start;
        long wall;
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            start = System.nanoTime();
            for (int client = 0; client < clients; client++) {
                int self = client;
                workers.add(pool.submit(() -> {
                    for (int index = self; index < operations; index += clients) {
                        long begin = System.nanoTime();
                        operation.run(self, index);
                        latencies[index] = System.nanoTime() - begin;
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            wall = System.nanoTime() - start;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
        return new Result(operations, wall, latencies);
    }
}
