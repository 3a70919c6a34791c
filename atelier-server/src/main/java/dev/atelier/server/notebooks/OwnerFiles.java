package dev.atelier.server.notebooks;

import dev.atelier.api.AtelierException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The owners' files folders ({@code <root>/<workspace>/<user>}), bound read-write into their notebook servers: they
 * outlive stops and the instances themselves. The root lies outside the data directory (workloads never see it).
 * Thread-safe (the file system is its only state).
 */
public final class OwnerFiles {
    private final Path root;

    OwnerFiles(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    /**
     * The owner's files folder in the workspace (created when missing). Its parents are traversable, not listable, by
     * other users: a sandboxed workload's own user must reach the folder to bind it.
     */
    public Path folder(String workspace, String owner) {
        Path folder = root.resolve(workspace).resolve(owner.replaceAll("[^A-Za-z0-9._@-]", "_")).normalize();
        if (!folder.startsWith(root) || folder.getParent().equals(root)) {
            throw AtelierException.invalidParameter("user name '" + owner + "' cannot name a folder");
        }
        try {
            for (Path level : List.of(root, folder.getParent())) {
                Files.createDirectories(level);
                if (level.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(level, PosixFilePermissions.fromString("rwx--x--x"));
                }
            }
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the notebook files folder " + folder, e);
        }
        return folder;
    }

    /** The names of the files directly in the owner's folder (no links followed; folders end in {@code /}), for the portal. */
    public List<String> list(String workspace, String owner) {
        Path folder = folder(workspace, owner);
        try (var entries = Files.list(folder)) {
            return entries.map(path -> path.getFileName() + (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "/" : ""))
                    .filter(file -> !file.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
