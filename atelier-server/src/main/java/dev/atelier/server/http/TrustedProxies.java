package dev.atelier.server.http;

import io.javalin.http.Context;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The reverse proxies whose {@code X-Forwarded-For} the server believes ({@code --trusted-proxies}):
 * addresses and CIDR ranges, IPv4 or IPv6. A request's client address is its TCP peer, unless the
 * peer is trusted: then the right-most address of the {@code X-Forwarded-For} chain that is not a
 * trusted proxy (what each trusted hop appended; anything left of it was written by the client and
 * may be forged). Without trusted proxies the header is ignored. Immutable and thread-safe.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), "");

    private final List<Range> ranges;
    private final String text;

    private TrustedProxies(List<Range> ranges, String text) {
        this.ranges = List.copyOf(ranges);
        this.text = text;
    }

    /**
     * Parses {@code a,b,...} of addresses and CIDRs ({@code 10.0.0.0/8}, {@code ::1}); blank means none.
     *
     * @throws IllegalArgumentException naming the entry that is not an IP address or CIDR (host names are refused:
     *                                  they would be resolved once and could change)
     */
    public static TrustedProxies parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return NONE;
        }
        List<Range> ranges = new ArrayList<>();
        for (String entry : commaSeparated.split(",")) {
            String trimmed = entry.strip();
            if (!trimmed.isEmpty()) {
                ranges.add(Range.parse(trimmed));
            }
        }
        return new TrustedProxies(ranges, String.join(",", ranges.stream().map(Range::toString).toList()));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** The client address of a request: see the class comment. */
    public String clientAddress(Context ctx) {
        String peer = ctx.ip();
        if (ranges.isEmpty()) {
            return peer;
        }
        List<String> forwarded = new ArrayList<>();
        for (String header : Collections.list(ctx.req().getHeaders("X-Forwarded-For"))) {
            for (String hop : header.split(",")) {
                forwarded.add(hop.strip());
            }
        }
        return clientAddress(peer, forwarded);
    }

    /** The right-most untrusted address of {@code forwardedFor + [peer]}; a hop that is not an IP address ends the walk. */
    String clientAddress(String peer, List<String> forwardedFor) {
        String client = peer;
        for (int i = forwardedFor.size() - 1; i >= 0 && trusts(client); i--) {
            byte[] hop = literal(forwardedFor.get(i));
            if (hop == null) {
                break;
            }
            client = forwardedFor.get(i);
        }
        return client;
    }

    private boolean trusts(String address) {
        byte[] bytes = literal(address);
        return bytes != null && ranges.stream().anyMatch(range -> range.contains(bytes));
    }

    /** The bytes of an IP literal; null for anything else (never a DNS lookup). */
    static byte[] literal(String text) {
        if (text.isEmpty() || text.length() > 45 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return null;
        }
        if (text.indexOf(':') < 0 && (text.chars().filter(c -> c == '.').count() != 3
                || !text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')))) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }

    /** One address ({@code /32} or {@code /128}) or CIDR range. */
    private record Range(byte[] network, int prefix, String text) {
        Range {
            requireNonNull(network, "network is null");
        }

        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] network = literal(address);
            if (network == null) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range (such as 10.0.0.0/8)");
            }
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("'" + entry + "' has an invalid prefix length: use 0 to " + network.length * 8);
                }
            }
            return new Range(network, prefix, entry);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
