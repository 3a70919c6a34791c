package dev.atelier.server;

import dev.atelier.server.http.BrowserGuard;
import dev.atelier.server.http.HostAllowlist;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Host names and origins a server answers, from its configuration (docs/security.md,
 * "Browser-origin protection"): the loopback names, the {@code --host} address, the host of
 * {@code --public-url} (Kubernetes pods call the server there) and {@code --allowed-hosts}. Bound to
 * every interface ({@code 0.0.0.0}, {@code ::}, only with {@code --auth}), it also answers this
 * machine's host names and any IP address: a page that rebinds a DNS name always sends that name, and
 * the machine may be reached at addresses it does not see itself (NAT, container port mappings).
 */
final class AllowedOrigins {
    private AllowedOrigins() {
    }

    /** @throws IllegalArgumentException naming a malformed {@code --allowed-hosts} or {@code --cors-allowed-origins} entry */
    static BrowserGuard guard(ServerConfig config) {
        boolean wildcard = config.bindsWildcard();
        List<String> hosts = new ArrayList<>(HostAllowlist.LOOPBACK);
        List<String> origins = new ArrayList<>(config.security().origins().corsAllowedOrigins());
        if (!wildcard) {
            hosts.add(config.host());
        } else {
            hosts.addAll(localHostNames());
        }
        Optional<URI> publicUrl = config.jobs().publicUrl().map(url -> URI.create(url.strip()));
        publicUrl.filter(url -> url.getHost() != null).ifPresent(url -> {
            hosts.add(url.getHost());
            origins.add(url.getScheme() + "://" + url.getRawAuthority());
        });
        hosts.addAll(config.security().origins().allowedHosts());
        return new BrowserGuard(new HostAllowlist(hosts, wildcard), origins);
    }

    private static List<String> localHostNames() {
        try {
            InetAddress local = InetAddress.getLocalHost();
            return List.of(local.getHostName().toLowerCase(Locale.ROOT), local.getCanonicalHostName().toLowerCase(Locale.ROOT));
        } catch (UnknownHostException e) {
            return List.of();
        }
    }
}
