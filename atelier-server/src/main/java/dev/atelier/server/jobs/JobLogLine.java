package dev.atelier.server.jobs;

import static java.util.Objects.requireNonNull;

/**
 * One captured line of a job's output.
 *
 * @param seq    position in the job's log, from 1, across both streams in the order the lines were read
 * @param stream {@code stdout}, {@code stderr}, or {@code system} (lines Atelier adds, such as the exit code)
 */
public record JobLogLine(long seq, String stream, long time, String line) {
    public JobLogLine {
        requireNonNull(stream, "stream is null");
        requireNonNull(line, "line is null");
    }
}
