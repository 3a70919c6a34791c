package dev.atelier.server.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What makes a file's name durable, beside its content: after a file is created or renamed into a folder, the
 * folder's entry is synced too, or a power loss may forget the name while keeping the content (or keep a name whose
 * content was never synced, when the content is not forced first). Callers force their file's content before they
 * rename it; this syncs the folder. Stateless, thread-safe.
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** Syncs {@code folder}'s entries (a rename or creation in it); a platform that cannot open a folder is skipped. */
    public static void syncFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (UnsupportedOperationException e) {
            // not every platform opens folders (Windows): its renames are its own business
        }
    }
}
