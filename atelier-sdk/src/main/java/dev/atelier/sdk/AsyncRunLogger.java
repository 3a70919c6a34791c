package dev.atelier.sdk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Logs a run's metrics, params and tags without waiting for the server, as MLflow's
 * {@code log_metric(..., synchronous=False)} does: calls queue the values and return at once; one
 * background thread sends them in order, in {@code runs/log-batch} calls of at most
 * {@value RunClient#MAX_BATCH_METRICS} metrics, {@value RunClient#MAX_BATCH_PARAMS} params and
 * {@value RunClient#MAX_BATCH_TAGS} tags ({@value RunClient#MAX_BATCH_ITEMS} items in all). A tag set
 * twice before it is sent is sent once, with its last value.
 *
 * <p>A batch the server refuses (or that cannot be sent) is dropped, and its error is thrown by the next
 * {@link #flush()} or {@link #close()}, which wait until everything queued before them was sent or
 * dropped. Logging after {@link #close()} throws {@link IllegalStateException}. Thread-safe: any number
 * of threads may log into one logger.
 */
public final class AsyncRunLogger implements AutoCloseable {
    private final RunClient runs;
    private final String runId;
    private final Object lock = new Object();
    private final ArrayDeque<Metric> metrics = new ArrayDeque<>();
    private final ArrayDeque<Map.Entry<String, String>> params = new ArrayDeque<>();
    private final ArrayDeque<Map.Entry<String, String>> tags = new ArrayDeque<>();
    private final Thread sender;
    /** Items queued and items sent or dropped since the start; a flush waits until they are equal. */
    private long queued;
    private long done;
    private RuntimeException failure;
    private boolean closed;

    AsyncRunLogger(RunClient runs, String runId) {
        this.runs = requireNonNull(runs, "runs is null");
        this.runId = requireNonNull(runId, "runId is null");
        this.sender = Thread.ofVirtual().name("atelier-run-logger-" + runId).start(this::send);
    }

    public String runId() {
        return runId;
    }

    /** Queues one value of a metric at {@code step}, timestamped now. */
    public void logMetric(String key, double value, long step) {
        logMetric(new Metric(key, value, System.currentTimeMillis(), step));
    }

    public void logMetric(Metric metric) {
        requireNonNull(metric, "metric is null");
        enqueue(() -> metrics.add(metric));
    }

    public void logParam(String key, String value) {
        Map.Entry<String, String> param = Map.entry(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
        enqueue(() -> params.add(param));
    }

    public void setTag(String key, String value) {
        Map.Entry<String, String> tag = Map.entry(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
        enqueue(() -> tags.add(tag));
    }

    /** Queues metrics, params and tags together (they may still be sent in several batches). */
    public void logBatch(List<Metric> metricList, Map<String, String> paramMap, Map<String, String> tagMap) {
        List<Metric> givenMetrics = List.copyOf(metricList);
        List<Map.Entry<String, String>> givenParams = List.copyOf(paramMap.entrySet());
        List<Map.Entry<String, String>> givenTags = List.copyOf(tagMap.entrySet());
        synchronized (lock) {
            requireOpen();
            metrics.addAll(givenMetrics);
            params.addAll(givenParams);
            tags.addAll(givenTags);
            queued += givenMetrics.size() + givenParams.size() + givenTags.size();
            lock.notifyAll();
        }
    }

    /**
     * Waits until everything queued so far was sent.
     *
     * @throws dev.atelier.api.AtelierException or {@link ServerUnreachableException}: the first error of a batch
     *         sent since the last flush (its values were not logged)
     */
    public void flush() {
        RuntimeException error;
        synchronized (lock) {
            long target = queued;
            while (done < target) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while flushing the run logger of " + runId, e);
                }
            }
            error = failure;
            failure = null;
        }
        if (error != null) {
            throw error;
        }
    }

    /** Sends what is queued, stops the background thread, and throws as {@link #flush()} does. Closing twice does nothing more. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            flush();
        } finally {
            try {
                sender.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void enqueue(Runnable add) {
        synchronized (lock) {
            requireOpen();
            add.run();
            queued++;
            lock.notifyAll();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the run logger of " + runId + " is closed");
        }
    }

    /** The background thread: takes one batch at a time and sends it, until closed and empty. */
    private void send() {
        while (true) {
            Batch batch;
            synchronized (lock) {
                while (metrics.isEmpty() && params.isEmpty() && tags.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (metrics.isEmpty() && params.isEmpty() && tags.isEmpty()) {
                    return;
                }
                batch = takeBatch();
            }
            RuntimeException error = null;
            try {
                runs.logBatch(runId, batch.metrics(), batch.params(), batch.tags());
            } catch (RuntimeException e) {
                error = e;
            }
            synchronized (lock) {
                if (error != null && failure == null) {
                    failure = error;
                }
                done += batch.items();
                lock.notifyAll();
            }
        }
    }

    /** Takes up to a batch's limits from the queues; called holding the lock. */
    private Batch takeBatch() {
        int items = 0;
        Map<String, String> batchParams = new LinkedHashMap<>();
        while (!params.isEmpty() && items < RunClient.MAX_BATCH_PARAMS) {
            Map.Entry<String, String> param = params.peek();
            String earlier = batchParams.get(param.getKey());
            if (earlier != null && !earlier.equals(param.getValue())) {
                break;  // a second value: the next batch sends it, so that the server refuses it (params are write-once)
            }
            params.poll();
            batchParams.put(param.getKey(), param.getValue());
            items++;
        }
        Map<String, String> batchTags = new LinkedHashMap<>();
        int tagItems = 0;
        while (!tags.isEmpty() && tagItems < RunClient.MAX_BATCH_TAGS) {
            Map.Entry<String, String> tag = tags.poll();
            batchTags.remove(tag.getKey());
            batchTags.put(tag.getKey(), tag.getValue());
            tagItems++;
        }
        items += tagItems;
        List<Metric> batchMetrics = new ArrayList<>();
        while (!metrics.isEmpty() && batchMetrics.size() < RunClient.MAX_BATCH_METRICS && items < RunClient.MAX_BATCH_ITEMS) {
            batchMetrics.add(metrics.poll());
            items++;
        }
        return new Batch(batchMetrics, batchParams, batchTags, items);
    }

    /** One log-batch call; {@code items} counts what it took from the queues (a tag set twice counts twice). */
    private record Batch(List<Metric> metrics, Map<String, String> params, Map<String, String> tags, int items) {
    }
}
