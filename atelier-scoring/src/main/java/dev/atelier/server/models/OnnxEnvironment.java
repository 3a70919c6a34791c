package dev.atelier.server.models;

import ai.onnxruntime.OrtEnvironment;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process-wide ONNX Runtime environment, created on first use behind a guard: on Linux, ONNX
 * Runtime 1.29 kills the JVM with a segmentation fault while creating its environment when the
 * process command line ({@code /proc/self/cmdline}) is longer than about 4 KB — measured here at
 * 3,981 bytes, such as {@code java -cp <a hundred jars>}. The {@code atelier} launcher, Surefire and
 * {@code java -jar} with a manifest class path stay far below; a server started otherwise gets an
 * error naming the cause instead of dying. Thread-safe.
 */
final class OnnxEnvironment {
    /** Below the 3,981 bytes measured with onnxruntime 1.29.0 on Linux x86_64, with a margin. */
    static final int MAX_COMMAND_LINE_BYTES = 3_900;
    private static final Path COMMAND_LINE = Path.of("/proc/self/cmdline");
    /** A process's command line does not change; 0 where there is no {@code /proc}. */
    private static final long COMMAND_LINE_LENGTH = commandLineLength();

    private OnnxEnvironment() {
    }

    /**
     * @throws AtelierException {@code INTERNAL_ERROR} when this process's command line is too long
     *                          for ONNX Runtime
     */
    static OrtEnvironment get() {
        long length = COMMAND_LINE_LENGTH;
        if (length > MAX_COMMAND_LINE_BYTES) {
            throw new AtelierException(ErrorCode.INTERNAL_ERROR, "ONNX models cannot run in this server process: its command line is "
                    + length + " bytes and ONNX Runtime crashes the JVM above about 4 KB; start the server with the atelier "
                    + "launcher, java -jar or a java @argfile");
        }
        return OrtEnvironment.getEnvironment();
    }

    private static long commandLineLength() {
        if (!Files.isReadable(COMMAND_LINE)) {
            return 0;
        }
        try {
            return Files.readAllBytes(COMMAND_LINE).length;
        } catch (IOException e) {
            return 0;
        }
    }
}
