package dev.atelier.server.uploads;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * Maps a write that failed because the disk (or the user's disk quota) is full to 507
 * {@code INSUFFICIENT_STORAGE} with a message a person can act on, instead of a 500. The JDK reports
 * ENOSPC and EDQUOT as an {@link IOException} (often a {@link FileSystemException}) whose message is
 * the C library's text, so the text is what is recognised. Stateless.
 */
public final class InsufficientStorage {
    private static final String[] FULL = {"no space left on device", "disk quota exceeded", "not enough space on the disk",
        "there is not enough space", "database or disk is full"}; // the last: SQLite's SQLITE_FULL

    private InsufficientStorage() {
    }

    /** Whether {@code e} or one of its causes says the disk is full. */
    public static boolean isDiskFull(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String text = cause instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : cause.getMessage();
            if (text != null) {
                String lower = text.toLowerCase(Locale.ROOT);
                for (String full : FULL) {
                    if (lower.contains(full)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The answer to a request that failed on a full disk wherever it wrote (a database commit, a file): 507, nothing of
     * the request kept (its transaction rolled back, its temporary files gone).
     */
    public static AtelierException unhandled(Throwable e) {
        return new AtelierException(ErrorCode.INSUFFICIENT_STORAGE, "The server's disk is full: nothing of this request was "
                + "kept. Ask the operator to free space, then send it again.", e);
    }

    /**
     * The exception to throw for a failed write of {@code what}: 507 when the disk is full, else the
     * I/O error unchanged (a 500 whose details go to the log).
     */
    public static RuntimeException of(IOException e, String what) {
        if (isDiskFull(e)) {
            return new AtelierException(ErrorCode.INSUFFICIENT_STORAGE, "The server's disk is full: " + what + " could not be "
                    + "stored and nothing of this request was kept. Ask the operator to free space, then send it again.", e);
        }
        return new UncheckedIOException(what + " failed: " + e.getMessage(), e);
    }
}
