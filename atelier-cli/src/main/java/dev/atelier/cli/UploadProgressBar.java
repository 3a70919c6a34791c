package dev.atelier.cli;

import dev.atelier.sdk.UploadProgress;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintWriter;

import static java.util.Objects.requireNonNull;

/**
 * A snapshot upload's progress on standard error (standard output stays the command's answer, so
 * {@code -o json} remains parseable): bytes sent out of the bytes the server lacked.
 */
final class UploadProgressBar implements UploadProgress {
    private final PrintWriter err;
    private ProgressBar bar;

    UploadProgressBar(PrintWriter err) {
        this.err = requireNonNull(err, "err is null");
    }

    @Override
    public void start(long bytes, int files) {
        if (files == 0) {
            err.println("Code already on the server (content-addressed): nothing to upload.");
            err.flush();
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName("Uploading " + files + (files == 1 ? " file" : " files"))
                .setInitialMax(Math.max(1, bytes))
                .setUnit(" KiB", 1024)
                .showSpeed()
                .setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print("\r" + line);
                    err.flush();
                }))
                .build();
    }

    @Override
    public void advance(long bytes) {
        if (bar != null) {
            bar.stepBy(bytes);
        }
    }

    /** Ends the bar where it stopped, on its own line, so that the error printed next starts a line. */
    @Override
    public void failed() {
        if (bar != null) {
            bar.close();
            bar = null;
            err.println();
            err.flush();
        }
    }

    @Override
    public void done() {
        if (bar != null) {
            bar.stepTo(bar.getMax());
            bar.close();
            bar = null;
            err.println();
            err.flush();
        }
    }
}
