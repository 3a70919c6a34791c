package dev.atelier.server.data;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.artifacts.FileInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Brings files under a data version: checks that they fit the type, copies uploaded files to the
 * default datastore and computes the content digest, streaming every byte once. Thread-safe (no state).
 */
final class DataImport {
    private DataImport() {
    }

    /** What a version's files amount to. */
    record Content(String path, String digest, long sizeBytes, int fileCount, String firstFile) {
    }

    /** Digests files already on a datastore at {@code path}, refusing a missing path or one of the wrong kind. */
    static Content existing(DatastoreFiles files, String datastore, ArtifactPath path, DataType type) throws IOException {
        List<FileInfo> found = files.listFiles(path);
        if (found.isEmpty()) {
            throw AtelierException.invalidParameter("Invalid value '" + path + "' for parameter 'path': nothing is there on "
                    + "datastore '" + datastore + "'");
        }
        boolean single = found.size() == 1 && found.get(0).path().equals(path.value());
        requireShape(type, single, path.toString());
        List<String> lines = new ArrayList<>();
        long size = 0;
        String single256 = "";
        for (FileInfo file : found) {
            try (ArtifactContent content = files.open(ArtifactPath.parse(file.path()))) {
                single256 = sha256(content.stream());
            }
            lines.add(relative(path, file.path()) + " " + single256);
            size += file.fileSize();
        }
        return new Content(path.value(), single ? "sha256:" + single256 : folderDigest(lines), size, found.size(),
                found.get(0).path());
    }

    /** Copies an upload session's files below {@code target} on the default datastore, digesting them on the way. */
    static Content copyUpload(UploadStaging staging, String workspace, String uploadId, DatastoreFiles target, ArtifactPath base,
                              DataType type) throws IOException {
        List<FileInfo> staged = staging.files(workspace, uploadId);
        if (staged.isEmpty()) {
            throw AtelierException.invalidParameter("Invalid value '" + uploadId + "' for parameter 'upload_id': no file was uploaded");
        }
        boolean single = staged.size() == 1;
        requireShape(type, single, "upload " + uploadId);
        List<String> lines = new ArrayList<>();
        long size = 0;
        String last = "";
        for (FileInfo file : staged) {
            ArtifactPath relative = ArtifactPath.parse(file.path());
            MessageDigest digest = newDigest();
            try (ArtifactContent content = staging.open(workspace, uploadId, relative);
                 InputStream in = new DigestInputStream(content.stream(), digest)) {
                size += target.write(base.resolve(relative), in);
            }
            last = HexFormat.of().formatHex(digest.digest());
            lines.add(file.path() + " " + last);
        }
        boolean folder = type == DataType.URI_FOLDER;
        ArtifactPath path = folder ? base : base.resolve(ArtifactPath.parse(staged.get(0).path()));
        return new Content(path.value(), folder ? folderDigest(lines) : "sha256:" + last, size, staged.size(),
                base.resolve(ArtifactPath.parse(staged.get(0).path())).value());
    }

    private static void requireShape(DataType type, boolean singleFile, String what) {
        switch (type) {
            case URI_FILE, TABLE -> {
                if (!singleFile) {
                    throw AtelierException.invalidParameter("Invalid value '" + what + "' for parameter 'path': a " + type.wireName()
                            + " needs exactly one file, and this is a folder");
                }
            }
            case URI_FOLDER -> {
                // An upload of a folder that holds one file is still a folder.
                if (singleFile && !what.startsWith("upload ")) {
                    throw AtelierException.invalidParameter("Invalid value '" + what + "' for parameter 'path': a uri_folder "
                            + "needs a folder, and this is a file");
                }
            }
        }
    }

    private static String relative(ArtifactPath base, String file) {
        return base.isRoot() ? file : file.equals(base.value()) ? base.name() : file.substring(base.value().length() + 1);
    }

    private static String folderDigest(List<String> lines) {
        MessageDigest digest = newDigest();
        lines.stream().sorted().forEach(line -> digest.update((line + "\n").getBytes(StandardCharsets.UTF_8)));
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
