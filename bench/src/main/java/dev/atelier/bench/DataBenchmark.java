package dev.atelier.bench;

import dev.atelier.sdk.AtelierClient;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.artifacts.S3Settings;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Upload and download throughput of one large file through the server's data API (the SDK's
 * resumable 8 MiB chunks into an upload session, then registration, which copies the file to the
 * default datastore and digests it; download streams it back), with the server's artifacts on the
 * local disk and on S3Proxy (filesystem blob store on the same disk), against copying the file on
 * the same disk (with an fsync, as the server's writes have). Prints a markdown table.
 *
 * <p>Arguments: {@code [--quick] [--size-mib N] [--work-dir DIR]}; 1 GiB by default, 128 MiB with
 * {@code --quick}. The server, S3Proxy and the client share this JVM and the machine's cores.
 */
public final class DataBenchmark {
    private static final String ACCESS = "bench-access";
    private static final String SECRET = "bench-secret";

    private DataBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long sizeMib = 1024;
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> sizeMib = 128;
                case "--size-mib" -> sizeMib = Long.parseLong(args[++i]);
                case "--work-dir" -> work = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: DataBenchmark [--quick] [--size-mib N] [--work-dir DIR]");
                    System.exit(2);
                }
            }
        }
        Path dir = work == null ? Files.createTempDirectory("atelier-data-bench") : Files.createDirectories(work);
        long bytes = sizeMib * 1024 * 1024;
        Path file = dir.resolve("input.bin");
        String digest = generate(file, bytes);
        System.err.println("generated " + sizeMib + " MiB in " + file);

        double copy = timeCopy(file, dir.resolve("copy.bin"));
        Files.delete(dir.resolve("copy.bin"));
        StringBuilder table = new StringBuilder("| storage | upload + register | upload MiB/s | ratio to disk copy | download MiB/s | "
                + "ratio to disk copy |\n|---|---|---|---|---|---|\n");
        table.append(String.format("| disk copy (`FileChannel` copy + fsync) | %.2f s | %.0f | 1.00 | %.0f | 1.00 |%n",
                copy, sizeMib / copy, sizeMib / copy));

        ServerConfig local = ServerConfig.forTests(Files.createDirectories(dir.resolve("server-local")));
        table.append(row("local datastore (server's artifact folder)", local, file, digest, sizeMib, copy, dir));

        Path blobs = Files.createDirectories(dir.resolve("s3proxy"));
        S3Proxy proxy = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(blobs.toString()))
                .endpoint(URI.create("http://127.0.0.1:0")).awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
            try (S3Client client = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build()) {
                client.createBucket(b -> b.bucket("bench"));
            }
            ServerConfig s3 = ServerConfig.forTests(Files.createDirectories(dir.resolve("server-s3"))).withArtifactsS3(
                    new S3Settings(Optional.of(endpoint), "us-east-1", "bench", "atelier", true, Optional.of(ACCESS), Optional.of(SECRET)));
            table.append(row("S3 (S3Proxy, filesystem blob store, same disk)", s3, file, digest, sizeMib, copy, dir));
        } finally {
            proxy.stop();
        }
        System.out.print(table);
    }

    private static String row(String label, ServerConfig config, Path file, String digest, long sizeMib, double copy, Path dir)
            throws Exception {
        try (AtelierServer server = AtelierServer.start(config); AtelierClient client = AtelierClient.connect(server.url())) {
            long start = System.nanoTime();
            String upload = client.data().startUpload();
            client.data().upload(upload, file, (done, total) -> { });
            double chunks = seconds(start);
            client.data().create("bench", "uri_file", upload, true, Optional.empty(), Map.of());
            double up = seconds(start);
            System.err.println(label + ": upload + register " + up + " s (chunks " + chunks + " s)");
            Path target = Files.createDirectories(dir.resolve("download-" + Math.abs(label.hashCode())));
            start = System.nanoTime();
            List<Path> written = client.data().download("bench@latest", target);
            double down = seconds(start);
            System.err.println(label + ": download " + down + " s");
            if (!sha256(written.get(0)).equals(digest)) {
                throw new IllegalStateException("downloaded bytes differ from the uploaded ones");
            }
            Files.delete(written.get(0));
            return String.format("| %s | %.2f s (chunks %.2f s, register %.2f s) | %.0f | %.2f | %.0f | %.2f |%n", label, up, chunks,
                    up - chunks, sizeMib / up, copy / up, sizeMib / down, copy / down);
        }
    }

    private static double timeCopy(Path from, Path to) throws IOException {
        long start = System.nanoTime();
        try (FileChannel in = FileChannel.open(from); FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long position = 0;
            while (position < in.size()) {
                position += in.transferTo(position, in.size() - position, out);
            }
            out.force(true);
        }
        return seconds(start);
    }

    private static String generate(Path file, long bytes) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(1);
        byte[] block = new byte[1024 * 1024];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = Channels.newOutputStream(channel)) {
            for (long written = 0; written < bytes; written += block.length) {
                random.nextBytes(block);
                int length = (int) Math.min(block.length, bytes - written);
                out.write(block, 0, length);
                digest.update(block, 0, length);
            }
            channel.force(true);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1024 * 1024];
            for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
