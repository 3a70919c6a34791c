package dev.atelier.sdk;

import java.util.List;

/**
 * Lines of a job's log after a position.
 *
 * @param lastSeq where the next read continues
 * @param ended   the job had ended when the page was read (a follower stops once a page after that is empty)
 */
public record JobLogPage(List<Line> lines, long lastSeq, boolean ended) {
    public JobLogPage {
        lines = List.copyOf(lines);
    }

    /** One line: {@code stream} is stdout, stderr or system. */
    public record Line(long seq, String stream, long time, String text) {
    }
}
