package dev.atelier.server.http;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A W3C Trace Context {@code traceparent} (https://www.w3.org/TR/trace-context/#traceparent-header):
 * {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}. The server continues a caller's trace (same trace id,
 * its own span id) or starts one, answers the header, and hands it on to the jobs a request submits ({@code TRACEPARENT}).
 * Immutable.
 */
public record Traceparent(String traceId, String spanId, String flags) {
    /** The request header, the response header, and the variable jobs and pods find it in. */
    public static final String HEADER = "traceparent";
    public static final String VARIABLE = "TRACEPARENT";
    private static final Pattern FORMAT = Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final SecureRandom RANDOM = new SecureRandom();

    public Traceparent {
        requireNonNull(traceId, "traceId is null");
        requireNonNull(spanId, "spanId is null");
        requireNonNull(flags, "flags is null");
    }

    /**
     * The span of this server's work on a request: a child of {@code header} when it is a valid traceparent (version
     * {@code ff}, all-zero ids and malformed values are ignored, as the spec says), else the root of a new trace.
     */
    public static Traceparent continueOrStart(String header) {
        return parse(header).map(Traceparent::child).orElseGet(() -> new Traceparent(randomHex(16), randomHex(8), "00"));
    }

    /** The header's trace, when it is a valid traceparent. */
    public static Optional<Traceparent> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        var matcher = FORMAT.matcher(header.strip());
        if (!matcher.matches() || matcher.group(1).equals("ff") || (matcher.group(1).equals("00") && matcher.group(5) != null)
                || matcher.group(2).chars().allMatch(c -> c == '0') || matcher.group(3).chars().allMatch(c -> c == '0')) {
            return Optional.empty();
        }
        return Optional.of(new Traceparent(matcher.group(2), matcher.group(3), matcher.group(4)));
    }

    /** A new span of the same trace, with the same flags. */
    public Traceparent child() {
        return new Traceparent(traceId, randomHex(8), flags);
    }

    /** The header value. */
    public String value() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
