package dev.atelier.server.serving.script;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines written by the workers of one deployment (their stdout and stderr, each line prefixed with
 * {@code [worker <index>]}) and by Atelier about them ({@code [atelier]}), oldest first. A ring: the oldest line
 * goes when it is full. Thread-safe.
 */
final class WorkerLog {
    static final int CAPACITY = 2000;

    private final ArrayDeque<String> lines = new ArrayDeque<>();

    void worker(int index, String line) {
        add("[worker " + index + "] " + line);
    }

    void system(String line) {
        add("[atelier] " + line);
    }

    synchronized List<String> tail(int count) {
        int skip = Math.max(0, lines.size() - Math.max(0, count));
        List<String> tail = new ArrayList<>(lines.size() - skip);
        lines.stream().skip(skip).forEach(tail::add);
        return tail;
    }

    private synchronized void add(String line) {
        if (lines.size() == CAPACITY) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }
}
