package dev.atelier.server.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which address of an X-Forwarded-For chain is the client's. */
class TrustedProxiesTest {
    @Test
    void theRightMostUntrustedAddressIsTheClient() {
        TrustedProxies proxies = TrustedProxies.parse("10.0.0.0/8, 192.168.1.7, ::1");
        assertThat(proxies.clientAddress("10.1.2.3", List.of("1.1.1.1", "2.2.2.2", "10.9.9.9"))).isEqualTo("2.2.2.2");
        assertThat(proxies.clientAddress("192.168.1.7", List.of("3.3.3.3"))).isEqualTo("3.3.3.3");
        assertThat(proxies.clientAddress("0:0:0:0:0:0:0:1", List.of("4.4.4.4"))).isEqualTo("4.4.4.4");
        assertThat(proxies.clientAddress("192.168.1.8", List.of("3.3.3.3"))).as("an untrusted peer").isEqualTo("192.168.1.8");
        assertThat(proxies.clientAddress("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
        assertThat(proxies.clientAddress("10.0.0.1", List.of("10.0.0.2"))).as("only proxies").isEqualTo("10.0.0.2");
        assertThat(proxies.clientAddress("10.0.0.1", List.of("5.5.5.5", "not-an-address"))).as("garbage ends the walk")
                .isEqualTo("10.0.0.1");
        assertThat(TrustedProxies.NONE.clientAddress("10.0.0.1", List.of("6.6.6.6"))).isEqualTo("10.0.0.1");
    }

    @Test
    void prefixesOfAnyLengthMatch() {
        TrustedProxies proxies = TrustedProxies.parse("172.16.0.0/12,fd00::/8");
        assertThat(proxies.clientAddress("172.31.255.255", List.of("7.7.7.7"))).isEqualTo("7.7.7.7");
        assertThat(proxies.clientAddress("172.32.0.1", List.of("7.7.7.7"))).isEqualTo("172.32.0.1");
        assertThat(proxies.clientAddress("fd12:3456::1", List.of("7.7.7.7"))).isEqualTo("7.7.7.7");
    }

    @Test
    void hostNamesAndBadPrefixesAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/8,proxy.example")).hasMessageContaining("'proxy.example'");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33")).hasMessageContaining("'10.0.0.0/33'");
        assertThat(TrustedProxies.parse(" ").isEmpty()).isTrue();
    }
}
