package dev.atelier.server.artifacts;

import dev.atelier.api.AtelierException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A relative artifact path that has been decoded, checked and normalized, so that joining it to a
 * trusted root can never leave that root: segments are separated by {@code /}, there are no empty,
 * {@code .} or {@code ..} segments, and the empty path is the root. Immutable and thread-safe.
 *
 * <p>Follows MLflow's {@code validate_path_is_safe} (mlflow/utils/uri.py): the text is
 * percent-decoded until it stops changing (so {@code %252e%252e} is caught too), then refused when it
 * holds {@code ..} segments, backslashes, {@code #}, an absolute path, a drive letter or a
 * {@code file:} URI. Beyond MLflow, control characters (NUL among them) are refused instead of escaped.
 * Symbolic links are checked by the repository, which alone knows what a path points to.
 */
public final class ArtifactPath {
    public static final ArtifactPath ROOT = new ArtifactPath("");

    /** MLflow gives up after ten rounds of decoding; so do we. */
    private static final int MAX_DECODE_ROUNDS = 10;
    private static final Pattern DRIVE_LETTER = Pattern.compile("^[A-Za-z]:.*", Pattern.DOTALL);

    private final String value;

    private ArtifactPath(String value) {
        this.value = value;
    }

    /**
     * Decodes, checks and normalizes a path sent by a user; {@code null} or empty is the root.
     *
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} naming the path when it is not safe
     */
    public static ArtifactPath parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return ROOT;
        }
        String decoded = decodeUntilStable(raw);
        String refusal = refusal(decoded);
        if (refusal != null) {
            throw invalid(raw, refusal);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : decoded.split("/", -1)) {
            if (segment.equals("..")) {
                throw invalid(raw, "'..' segments are not allowed");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return segments.isEmpty() ? ROOT : new ArtifactPath(String.join("/", segments));
    }

    private static String refusal(String path) {
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i))) {
                return "control characters are not allowed";
            }
        }
        if (path.indexOf('\\') >= 0) {
            return "backslashes are not allowed";
        }
        if (path.indexOf('#') >= 0) {
            return "'#' is not allowed";
        }
        if (path.startsWith("/")) {
            return "absolute paths are not allowed";
        }
        if (DRIVE_LETTER.matcher(path).matches() || path.regionMatches(true, 0, "file:", 0, 5)) {
            return "drive letters and URIs are not allowed";
        }
        return null;
    }

    /** Percent-decodes repeatedly, as MLflow's {@code _decode}; {@code +} stays a plus sign. */
    static String decodeUntilStable(String raw) {
        String current = raw;
        for (int round = 0; round < MAX_DECODE_ROUNDS; round++) {
            String decoded = percentDecode(current);
            if (decoded.equals(current)) {
                return decoded;
            }
            current = decoded;
        }
        throw invalid(raw, "it is percent-encoded too many times");
    }

    /** Like Python's {@code urllib.parse.unquote}: bad escapes stay as they are, bad UTF-8 becomes U+FFFD. */
    private static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                bytes.write(Integer.parseInt(text, i + 1, i + 3, 16));
                i += 3;
                continue;
            }
            flush(bytes, out);
            out.append(c);
            i++;
        }
        flush(bytes, out);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }

    private static AtelierException invalid(String raw, String reason) {
        return AtelierException.invalidParameter("Invalid path '" + printable(raw) + "': " + reason);
    }

    /** The path with control characters shown as escapes, so an error message stays one clean line. */
    private static String printable(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        raw.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    public boolean isRoot() {
        return value.isEmpty();
    }

    /** The last segment; empty for the root. */
    public String name() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    /** This path with {@code child} (already a safe path) appended. */
    public ArtifactPath resolve(ArtifactPath child) {
        requireNonNull(child, "child is null");
        if (isRoot()) {
            return child;
        }
        return child.isRoot() ? this : new ArtifactPath(value + "/" + child.value);
    }

    /** The normalized path, {@code a/b/c}, empty for the root. */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ArtifactPath path && path.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
