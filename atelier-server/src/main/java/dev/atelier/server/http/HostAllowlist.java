package dev.atelier.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Host} header values the server answers (docs/security.md, "Browser-origin protection"):
 * a page that rebinds its own DNS name to this machine sends its name in {@code Host}, so refusing
 * names the server was not told about stops it from reading answers.
 *
 * <p>An entry is a host name or address, alone (any port) or with a port ({@code name:port}, exact),
 * {@code *.example.com} (every name under example.com, any port), or {@code *} (every host: the check
 * is off). IPv6 addresses are written with or without brackets. Names compare case-insensitively and
 * without a trailing dot. Immutable and thread-safe.
 *
 * @param entries    the normalized entries
 * @param ipLiterals whether any IP address literal is accepted too (a wildcard bind: a rebinding page
 *                   always sends a name, never an address)
 */
public record HostAllowlist(List<String> entries, boolean ipLiterals) {
    /** The loopback names every server answers. */
    public static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

    public HostAllowlist {
        entries = entries.stream().map(HostAllowlist::normalizeEntry).distinct().toList();
    }

    /** Loopback names only: what a server bound to loopback with no other settings answers. */
    public static HostAllowlist loopback() {
        return new HostAllowlist(LOOPBACK, false);
    }

    public boolean allowsAny() {
        return entries.contains("*");
    }

    /** Whether a request with this {@code Host} header may be answered; a missing header (HTTP/1.0) is allowed. */
    public boolean allows(String hostHeader) {
        if (hostHeader == null || allowsAny()) {
            return true;
        }
        Optional<String[]> parsed = split(hostHeader.strip().toLowerCase(Locale.ROOT));
        if (parsed.isEmpty()) {
            return false;
        }
        String name = parsed.get()[0];
        String withPort = parsed.get()[1].isEmpty() ? name : name + ":" + parsed.get()[1];
        if (ipLiterals && isIpLiteral(name)) {
            return true;
        }
        for (String entry : entries) {
            if (entry.equals(name) || entry.equals(withPort)
                    || (entry.startsWith("*.") && name.endsWith(entry.substring(1)))) {
                return true;
            }
        }
        return false;
    }

    /** Splits {@code name[:port]} (IPv6 in brackets) into the name without trailing dot and the port ("" when none). */
    private static Optional<String[]> split(String host) {
        String name;
        String port = "";
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            name = host.substring(0, close + 1);
            String rest = host.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return Optional.empty();
                }
                port = rest.substring(1);
            }
        } else {
            int colon = host.indexOf(':');
            if (colon >= 0 && host.indexOf(':', colon + 1) >= 0) {
                name = "[" + host + "]";  // a bare IPv6 address (only in entries; browsers bracket it)
            } else if (colon >= 0) {
                name = host.substring(0, colon);
                port = host.substring(colon + 1);
            } else {
                name = host;
            }
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || !port.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(new String[] {name, port});
    }

    private static String normalizeEntry(String entry) {
        String value = entry.strip().toLowerCase(Locale.ROOT);
        if (value.equals("*") || value.startsWith("*.")) {
            return value;
        }
        String[] parts = split(value).orElseThrow(() -> new IllegalArgumentException("Not a host name or address: '" + entry + "'"));
        return parts[1].isEmpty() ? parts[0] : parts[0] + ":" + parts[1];
    }

    private static boolean isIpLiteral(String name) {
        return name.startsWith("[") || name.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    /** This allowlist plus {@code more} entries. */
    public HostAllowlist plus(List<String> more) {
        List<String> all = new ArrayList<>(entries);
        all.addAll(more);
        return new HostAllowlist(all, ipLiterals);
    }
}
