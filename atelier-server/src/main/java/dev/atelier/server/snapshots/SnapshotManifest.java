package dev.atelier.server.snapshots;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a snapshot's list of files before anything is stored: paths are relative, use {@code /},
 * have no empty, {@code .} or {@code ..} segment, and appear once; hashes are SHA-256 hex; the total
 * stays within the size limit. The snapshot id is the SHA-256 of the sorted manifest.
 */
final class SnapshotManifest {
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final int MAX_FILES = 100_000;
    static final int MAX_PATH_CHARS = 1024;

    private SnapshotManifest() {
    }

    /** The files sorted by path; INVALID_PARAMETER_VALUE or RESOURCE_LIMIT_EXCEEDED naming what is wrong. */
    static List<SnapshotFile> check(List<SnapshotFile> files, long maxBytes) {
        if (files.size() > MAX_FILES) {
            throw new AtelierException(ErrorCode.RESOURCE_LIMIT_EXCEEDED, "A snapshot holds at most " + MAX_FILES
                    + " files; this one has " + files.size());
        }
        Set<String> seen = new HashSet<>();
        long total = 0;
        for (SnapshotFile file : files) {
            checkPath(file.path());
            if (!SHA256.matcher(file.sha256()).matches()) {
                throw AtelierException.invalidParameter("Invalid sha256 '" + file.sha256() + "' for file '" + file.path()
                        + "': expected 64 lowercase hex digits");
            }
            if (file.size() < 0) {
                throw AtelierException.invalidParameter("Invalid size " + file.size() + " for file '" + file.path() + "'");
            }
            if (!seen.add(file.path())) {
                throw AtelierException.invalidParameter("File '" + file.path() + "' appears twice in the snapshot");
            }
            total += file.size();
        }
        checkTotal(total, maxBytes);
        List<SnapshotFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(SnapshotFile::path));
        return sorted;
    }

    static void checkTotal(long total, long maxBytes) {
        if (total > maxBytes) {
            throw new AtelierException(ErrorCode.RESOURCE_LIMIT_EXCEEDED, "The code folder holds " + total + " bytes, more than "
                    + "the snapshot limit of " + maxBytes + " bytes: add large files to .amlignore (or .gitignore), or register "
                    + "them as data instead");
        }
    }

    /** A relative path confined to the snapshot's root. */
    static void checkPath(String path) {
        if (path.isEmpty() || path.length() > MAX_PATH_CHARS) {
            throw AtelierException.invalidParameter("Invalid snapshot path '" + path + "': use 1 to " + MAX_PATH_CHARS + " characters");
        }
        if (path.startsWith("/") || path.contains("\\") || path.contains("\0") || path.matches("^[A-Za-z]:.*")) {
            throw escaping(path);
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw escaping(path);
            }
        }
    }

    private static AtelierException escaping(String path) {
        return AtelierException.invalidParameter("Invalid snapshot path '" + path + "': paths must be relative to the code "
                + "folder, '/'-separated, without '.', '..' or empty segments (nothing may escape the snapshot)");
    }

    /** The SHA-256 of {@code path NUL sha256 NUL size LF} for each sorted file. */
    static String idOf(List<SnapshotFile> sorted) {
        MessageDigest digest = sha256();
        for (SnapshotFile file : sorted) {
            digest.update((file.path() + "\0" + file.sha256() + "\0" + file.size() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
