package dev.atelier.server.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostAllowlistTest {
    @Test
    void loopbackNamesAreAnsweredOnAnyPortAndOtherNamesAreNot() {
        HostAllowlist hosts = HostAllowlist.loopback();
        assertThat(hosts.allows("localhost:5000")).isTrue();
        assertThat(hosts.allows("LocalHost.")).isTrue();
        assertThat(hosts.allows("127.0.0.1")).isTrue();
        assertThat(hosts.allows("[::1]:8080")).isTrue();
        assertThat(hosts.allows("evil.example")).isFalse();
        assertThat(hosts.allows("localhost.evil.example")).isFalse();
        assertThat(hosts.allows("127.0.0.2")).isFalse();
        assertThat(hosts.allows("localhost:x")).isFalse();
        assertThat(hosts.allows(null)).isTrue();
    }

    @Test
    void entriesWithAPortMatchOnlyThatPortAndWildcardsMatchSubdomains() {
        HostAllowlist hosts = HostAllowlist.loopback().plus(List.of("atelier.example:443", "*.corp.example", "::2"));
        assertThat(hosts.allows("atelier.example:443")).isTrue();
        assertThat(hosts.allows("atelier.example:80")).isFalse();
        assertThat(hosts.allows("atelier.example")).isFalse();
        assertThat(hosts.allows("ml.corp.example:5000")).isTrue();
        assertThat(hosts.allows("corp.example")).isFalse();
        assertThat(hosts.allows("evilcorp.example")).isFalse();
        assertThat(hosts.allows("[::2]:5000")).isTrue();
    }

    @Test
    void starAnswersEveryNameAndIpLiteralsOnlyWhenAsked() {
        assertThat(new HostAllowlist(List.of("*"), false).allows("anything.example")).isTrue();
        HostAllowlist wildcardBind = new HostAllowlist(HostAllowlist.LOOPBACK, true);
        assertThat(wildcardBind.allows("192.168.1.20:5000")).isTrue();
        assertThat(wildcardBind.allows("[fe80::1]:5000")).isTrue();
        assertThat(wildcardBind.allows("rebound.evil.example")).isFalse();
        assertThat(HostAllowlist.loopback().allows("192.168.1.20")).isFalse();
    }

    @Test
    void malformedEntriesAreRefusedNamingThem() {
        assertThatThrownBy(() -> HostAllowlist.loopback().plus(List.of("host:port")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port");
    }
}
