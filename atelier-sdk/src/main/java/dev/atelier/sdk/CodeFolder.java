package dev.atelier.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The files of a code folder that go into a snapshot: {@code .git} is skipped, and the patterns of
 * {@code .amlignore} (or, when there is none, {@code .gitignore}) at the folder's root. A symbolic
 * link that leads outside the folder is refused ({@link IllegalArgumentException}): nothing outside
 * the code folder may enter its snapshot.
 */
final class CodeFolder {
    /** One file to upload: its path in the snapshot, where it is on disk, its SHA-256 and size. */
    record LocalFile(String path, Path file, String sha256, long size) {
        LocalFile {
            requireNonNull(path, "path is null");
            requireNonNull(file, "file is null");
            requireNonNull(sha256, "sha256 is null");
        }
    }

    private CodeFolder() {
    }

    /** Lists a folder's files (or one file, named by its file name), sorted by path; fails early past {@code maxBytes}. */
    static List<LocalFile> scan(Path root, long maxBytes) {
        Path base = root.toAbsolutePath().normalize();
        if (Files.isRegularFile(base)) {
            return List.of(hash(base.getFileName().toString(), base));
        }
        if (!Files.isDirectory(base)) {
            throw new IllegalArgumentException("No such file or folder: " + root);
        }
        Path real = realPath(base);
        IgnoreRules rules = IgnoreRules.parse(ignoreLines(base));
        List<Path> files = new ArrayList<>();
        long[] total = {0};
        try {
            Files.walkFileTree(base, java.util.Set.of(java.nio.file.FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                            if (dir.equals(base)) {
                                return FileVisitResult.CONTINUE;
                            }
                            String relative = relative(base, dir);
                            confine(real, dir, relative);
                            return dir.getFileName().toString().equals(".git") || rules.ignored(relative, true)
                                    ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                            String relative = relative(base, file);
                            confine(real, file, relative);
                            if (attributes.isRegularFile() && !rules.ignored(relative, false)) {
                                total[0] += attributes.size();
                                if (total[0] > maxBytes) {
                                    throw new IllegalArgumentException("The code folder " + root + " holds more than the snapshot "
                                            + "limit of " + maxBytes + " bytes: add large files to .amlignore (or .gitignore)");
                                }
                                files.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the code folder " + root + ": " + e.getMessage(), e);
        }
        return files.stream().map(file -> hash(relative(base, file), file))
                .sorted(java.util.Comparator.comparing(LocalFile::path)).toList();
    }

    /** The lines of the folder's {@code .amlignore}, else of its {@code .gitignore}; none without either. */
    static List<String> ignoreLines(Path base) {
        for (String name : List.of(".amlignore", ".gitignore")) {
            Path file = base.resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    return Files.readAllLines(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
                }
            }
        }
        return List.of();
    }

    private static void confine(Path realRoot, Path path, String relative) {
        if (!realPath(path).startsWith(realRoot)) {
            throw new IllegalArgumentException("'" + relative + "' is a link leading outside the code folder; nothing may escape "
                    + "the snapshot");
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot resolve " + path + ": " + e.getMessage(), e);
        }
    }

    private static String relative(Path base, Path path) {
        return base.relativize(path).toString().replace(java.io.File.separatorChar, '/');
    }

    static LocalFile hash(String path, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[128 * 1024];
            long size = 0;
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
                size += read;
            }
            return new LocalFile(path, file, HexFormat.of().formatHex(digest.digest()), size);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
