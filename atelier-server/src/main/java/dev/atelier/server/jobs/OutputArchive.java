package dev.atelier.server.jobs;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.uploads.InsufficientStorage;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Unpacks the gzip'd tar of a pod's {@code outputs/} folder into a folder of the server, refusing
 * what could reach outside it: absolute names, {@code ..} segments, and links whose target leaves the
 * archive. Links that stay inside are skipped, as a local job's symbolic links are not uploaded
 * either; so are devices and FIFOs. At most {@code maxBytes} of file content and {@link #MAX_ENTRIES}
 * entries are unpacked. Stateless.
 */
final class OutputArchive {
    static final int MAX_ENTRIES = 100_000;

    private OutputArchive() {
    }

    /**
     * Unpacks {@code gzipTar} below {@code folder} (which must exist and be empty); returns the files' paths.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for a corrupt archive or an entry that leaves the folder,
     *                          PAYLOAD_TOO_LARGE past {@code maxBytes} or {@link #MAX_ENTRIES},
     *                          INSUFFICIENT_STORAGE when the disk is full
     */
    static List<String> unpack(InputStream gzipTar, Path folder, long maxBytes) {
        List<String> files = new ArrayList<>();
        long total = 0;
        int entries = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(gzipTar))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (++entries > MAX_ENTRIES) {
                    throw tooLarge("more than " + MAX_ENTRIES + " entries");
                }
                String name = relative(entry.getName());
                if (entry.isSymbolicLink() || entry.isLink()) {
                    checkLink(name, entry.getLinkName(), entry.isSymbolicLink());
                    continue;
                }
                if (name.isEmpty() || entry.isDirectory() || !entry.isFile()) {
                    continue;
                }
                Path target = folder.resolve(name);
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    total += copy(tar, out, maxBytes - total);
                }
                files.add(name);
            }
        } catch (ZipException | EOFException e) {
            throw corrupt(e);
        } catch (IOException e) {
            if (InsufficientStorage.isDiskFull(e)) {
                throw InsufficientStorage.of(e, "the outputs");
            }
            // Commons Compress reports a damaged header as a plain IOException ("Error detected parsing the header").
            throw corrupt(e);
        } catch (IllegalArgumentException e) {
            throw corrupt(e);
        }
        return files;
    }

    /** The entry's name below the archive root ({@code ./a/b} and {@code a/b} alike); refuses names that leave it. */
    static String relative(String entryName) {
        if (entryName.startsWith("/") || entryName.contains("\\") || entryName.indexOf('\0') >= 0) {
            throw AtelierException.invalidParameter("Invalid outputs archive: entry '" + entryName + "' is not a relative path");
        }
        List<String> parts = new ArrayList<>();
        for (String part : entryName.split("/")) {
            if (part.equals("..")) {
                throw AtelierException.invalidParameter("Invalid outputs archive: entry '" + entryName + "' leaves the outputs folder");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    /** A symbolic link's target is read from its own folder, a hard link's from the archive root; both must stay inside. */
    private static void checkLink(String name, String linkName, boolean symbolic) {
        if (linkName.startsWith("/")) {
            throw AtelierException.invalidParameter("Invalid outputs archive: link '" + name + "' points outside the outputs folder");
        }
        int depth = symbolic ? (int) name.chars().filter(c -> c == '/').count() : 0;
        for (String part : linkName.split("/")) {
            if (part.equals("..")) {
                depth--;
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
            if (depth < 0) {
                throw AtelierException.invalidParameter("Invalid outputs archive: link '" + name + "' points outside the outputs folder");
            }
        }
    }

    private static long copy(InputStream in, OutputStream out, long remaining) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long copied = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            copied += read;
            if (copied > remaining) {
                throw tooLarge("more bytes than the limit");
            }
            out.write(buffer, 0, read);
        }
        return copied;
    }

    private static AtelierException tooLarge(String what) {
        return new AtelierException(ErrorCode.PAYLOAD_TOO_LARGE, "The outputs archive holds " + what
                + " (the limit is --snapshot-max-bytes of unpacked files, and " + MAX_ENTRIES + " entries); nothing was stored");
    }

    private static AtelierException corrupt(Exception e) {
        return new AtelierException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid outputs archive: expected a gzip'd tar ("
                + e.getMessage() + ")", e);
    }
}
