package dev.atelier.server.compute.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes small pure-python wheels by hand (PEP 427: the package, {@code METADATA}, {@code WHEEL} and {@code RECORD}
 * with each file's SHA-256), so that environment builds are tested offline against a folder of wheels.
 */
public final class TestWheels {
    private TestWheels() {
    }

    /**
     * A folder readable by sandboxed workloads (builds bind it read-only) holding {@code <module>-<version>-py3-none-any.whl}
     * with a module {@code module} whose {@code __init__.py} is {@code init}.
     */
    public static Path folderWith(Path folder, String module, String version, String init) throws IOException {
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        String distInfo = module + "-" + version + ".dist-info/";
        Map<String, String> files = new LinkedHashMap<>();
        files.put(module + "/__init__.py", init);
        files.put(distInfo + "METADATA", "Metadata-Version: 2.1\nName: " + module.replace('_', '-') + "\nVersion: " + version + "\n");
        files.put(distInfo + "WHEEL", "Wheel-Version: 1.0\nGenerator: atelier-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        StringBuilder record = new StringBuilder();
        files.forEach((name, content) -> record.append(name).append(",sha256=").append(hash(content)).append(',')
                .append(content.getBytes(StandardCharsets.UTF_8).length).append('\n'));
        record.append(distInfo).append("RECORD,,\n");
        files.put(distInfo + "RECORD", record.toString());
        Path wheel = folder.resolve(module + "-" + version + "-py3-none-any.whl");
        try (OutputStream out = Files.newOutputStream(wheel); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        Files.setPosixFilePermissions(wheel, PosixFilePermissions.fromString("rw-r--r--"));
        return folder;
    }

    private static String hash(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
