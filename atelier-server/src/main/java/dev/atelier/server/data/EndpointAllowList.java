package dev.atelier.server.data;

import dev.atelier.api.AtelierException;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Which S3 datastore endpoints (and, read from {@value #WEBHOOK_VARIABLE}, which MLflow webhook URLs) may reach
 * addresses that are not public (docs/data.md, docs/security.md).
 * A datastore's {@code endpoint} is where the server sends requests signed with the workspace's keys,
 * so without this rule anyone allowed to register a datastore could make the server call a cloud
 * metadata service (169.254.169.254), its own loopback services or the private network.
 *
 * <p>An endpoint is refused when its host resolves to a loopback, link-local, private (RFC 1918,
 * fc00::/7, 100.64.0.0/10), unspecified or multicast address, unless the operator listed it in
 * {@value #VARIABLE}: a comma-separated list of host names ({@code minio.internal}), {@code host:port}
 * ({@code 127.0.0.1:9000}), CIDR ranges or single addresses ({@code 10.0.0.0/8}, {@code ::1}), or
 * {@code *} for every endpoint. Endpoints on public addresses need no entry. Immutable, thread-safe.
 */
public final class EndpointAllowList {
    /** The environment variable the server reads once at start. */
    public static final String VARIABLE = "ATELIER_DATASTORE_ENDPOINT_ALLOW";
    /** The same rule for the URLs MLflow webhooks post to (webhooks/). */
    public static final String WEBHOOK_VARIABLE = "ATELIER_WEBHOOK_ENDPOINT_ALLOW";
    /** Only public addresses. */
    public static final EndpointAllowList NONE = new EndpointAllowList(VARIABLE, false, List.of(), List.of(), List.of());

    private final String variable;
    private final boolean everything;
    private final List<String> hosts;
    private final List<String> hostPorts;
    private final List<Range> ranges;

    private EndpointAllowList(String variable, boolean everything, List<String> hosts, List<String> hostPorts, List<Range> ranges) {
        this.variable = variable;
        this.everything = everything;
        this.hosts = List.copyOf(hosts);
        this.hostPorts = List.copyOf(hostPorts);
        this.ranges = List.copyOf(ranges);
    }

    /**
     * Parses the variable's value; empty or null allows nothing beyond public addresses.
     *
     * @throws IllegalArgumentException naming the entry that is neither a host, a host:port nor a range
     */
    public static EndpointAllowList parse(String value) {
        return parse(VARIABLE, value);
    }

    /** Parses the value of {@code variable}, which the errors name. */
    public static EndpointAllowList parse(String variable, String value) {
        if (value == null || value.isBlank()) {
            return new EndpointAllowList(variable, false, List.of(), List.of(), List.of());
        }
        boolean everything = false;
        List<String> hosts = new ArrayList<>();
        List<String> hostPorts = new ArrayList<>();
        List<Range> ranges = new ArrayList<>();
        for (String raw : value.split(",")) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                everything = true;
            } else if (entry.contains("/") || isAddressLiteral(entry)) {
                ranges.add(Range.parse(variable, entry));
            } else if (entry.matches("(\\[[0-9a-f:.]+]|[a-z0-9.-]+):[0-9]{1,5}")) {
                hostPorts.add(entry);
            } else if (entry.matches("[a-z0-9.-]+")) {
                hosts.add(entry);
            } else {
                throw new IllegalArgumentException("Invalid entry '" + raw.strip() + "' in " + variable
                        + ": expected a host name, host:port, a CIDR range such as 10.0.0.0/8, or *");
            }
        }
        return new EndpointAllowList(variable, everything, hosts, hostPorts, ranges);
    }

    /** Every loopback address (127.0.0.0/8, ::1): what tests that run S3Proxy on 127.0.0.1 use. */
    public static EndpointAllowList loopback() {
        return parse("127.0.0.0/8,::1");
    }

    /** This list's entries, its errors naming {@code otherVariable}. */
    public EndpointAllowList namedAs(String otherVariable) {
        return new EndpointAllowList(otherVariable, everything, hosts, hostPorts, ranges);
    }

    /**
     * Refuses an endpoint whose host is not allowed: checked when a datastore is registered and again
     * each time the server connects to it, since a name may resolve elsewhere later.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE naming {@code field} and {@value #VARIABLE}
     */
    public void check(String field, URI endpoint) {
        requireNonNull(endpoint, "endpoint is null");
        if (everything) {
            return;
        }
        String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int port = endpoint.getPort() != -1 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
        if (hosts.contains(bare) || hostPorts.contains(host + ":" + port) || hostPorts.contains("[" + bare + "]:" + port)
                || hostPorts.contains(bare + ":" + port)) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw AtelierException.invalidParameter("Invalid value '" + endpoint + "' for parameter '" + field + "': host '"
                    + bare + "' cannot be resolved");
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address) && ranges.stream().noneMatch(range -> range.contains(address))) {
                throw AtelierException.invalidParameter("Invalid value '" + endpoint + "' for parameter '" + field + "': host '"
                        + bare + "' is " + address.getHostAddress() + ", a loopback, link-local, private, unspecified or "
                        + "multicast address; the server's operator can allow it with " + variable
                        + " (a comma-separated list of hosts, host:port or CIDR ranges)");
            }
        }
    }

    /** Whether an address is on the public internet (none of the kinds this list guards). */
    static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first != 0 && !(first == 100 && second >= 64 && second < 128) && first < 240;
        }
        return (bytes[0] & 0xfe) != 0xfc;
    }

    private static boolean isAddressLiteral(String entry) {
        boolean ipv4 = entry.matches("[0-9.]+") && entry.chars().filter(c -> c == '.').count() == 3;
        boolean ipv6 = entry.matches("[0-9a-f:.]+") && entry.chars().filter(c -> c == ':').count() >= 2;
        return ipv4 || ipv6;
    }

    /** A CIDR range; a single address is a range of its full length. */
    private record Range(byte[] network, int prefix) {
        static Range parse(String variable, String entry) {
            String[] parts = entry.split("/", 2);
            try {
                if (!isAddressLiteral(parts[0])) {
                    throw new IllegalArgumentException("not an address");
                }
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int prefix = parts.length == 1 ? network.length * 8 : Integer.parseInt(parts[1]);
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("prefix out of range");
                }
                return new Range(network, prefix);
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid range '" + entry + "' in " + variable
                        + ": expected an address or CIDR range such as 10.0.0.0/8 or fd00::/8");
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
