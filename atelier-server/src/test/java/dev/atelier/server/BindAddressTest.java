package dev.atelier.server;

import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.jobs.JobsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --host} without {@code --auth} is checked by the addresses it resolves to, not by how it is spelled. */
class BindAddressTest {
    private static final Map<String, String> NAMES = Map.of("127.corp.example", "10.1.2.3", "dev.local", "127.0.0.1");

    @TempDir
    Path dataDir;

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String address = NAMES.get(host);
        if (address == null) {
            return InetAddress.getAllByName(host);
        }
        return new InetAddress[] {InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress())};
    }

    @Test
    void aNameThatLooksLikeLoopbackButResolvesElsewhereIsNotLoopback() {
        assertThat(config("127.corp.example").bindsLoopbackOnly(BindAddressTest::resolve)).isFalse();
        assertThat(config("dev.local").bindsLoopbackOnly(BindAddressTest::resolve)).isTrue();
        assertThat(config("127.0.0.1").bindsLoopbackOnly(BindAddressTest::resolve)).isTrue();
        assertThat(config("::1").bindsLoopbackOnly(BindAddressTest::resolve)).isTrue();
        assertThat(config("[::1]").bindsLoopbackOnly(BindAddressTest::resolve)).isTrue();
        assertThat(config("localhost").bindsLoopbackOnly(BindAddressTest::resolve)).isTrue();
        assertThat(config("0.0.0.0").bindsLoopbackOnly(BindAddressTest::resolve)).isFalse();
    }

    @Test
    void anUnresolvableHostIsAClearStartError() {
        assertThatThrownBy(() -> AtelierServer.start(config("127.corp.example.invalid")).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--host 127.corp.example.invalid");
    }

    @Test
    void aNonLoopbackAddressWithoutAuthRefusesToStart() {
        assertThatThrownBy(() -> AtelierServer.start(config("192.0.2.1")).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without authentication");
    }

    @Test
    void aWildcardBindAnswersAddressesAndThisMachinesNamesButNotOtherNames() throws UnknownHostException {
        ServerConfig config = config("0.0.0.0").withSecurity(SecurityConfig.fromEnvironment(true)
                .withOrigins(new SecurityConfig.Origins(java.util.List.of("atelier.example"), java.util.List.of())))
                .withJobs(JobsConfig.DEFAULTS.withPublicUrl("https://ml.example.org/"));
        var hosts = AllowedOrigins.guard(config).hosts();
        assertThat(hosts.allows("10.20.30.40:5000")).isTrue();
        assertThat(hosts.allows(InetAddress.getLocalHost().getHostName())).isTrue();
        assertThat(hosts.allows("atelier.example:5000")).isTrue();
        assertThat(hosts.allows("ml.example.org")).isTrue();
        assertThat(hosts.allows("rebound.evil.example")).isFalse();
        var loopbackHosts = AllowedOrigins.guard(config("127.0.0.1")).hosts();
        assertThat(loopbackHosts.allows("10.20.30.40:5000")).isFalse();
    }

    private ServerConfig config(String host) {
        return new ServerConfig(host, 0, dataDir, java.util.Optional.empty(), java.util.Optional.empty());
    }
}
