package dev.atelier.server.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Anonymous denials are recorded at most 10 per address and 1,000 in all per minute. */
class AnonymousDenialsTest {
    @Test
    void tenPerAddressPerMinuteThenDroppedAndCounted() {
        AnonymousDenials denials = new AnonymousDenials();
        long minute = 60_000L * 1000;
        for (int i = 0; i < 10; i++) {
            assertThat(denials.admit("10.0.0.1", minute + i)).isTrue();
        }
        assertThat(denials.admit("10.0.0.1", minute + 10)).isFalse();
        assertThat(denials.admit("10.0.0.2", minute + 11)).isTrue();
        assertThat(denials.dropped()).isEqualTo(1);
        assertThat(denials.admit("10.0.0.1", minute + 60_000)).as("the next minute").isTrue();
    }

    @Test
    void aThousandInAllPerMinute() {
        AnonymousDenials denials = new AnonymousDenials();
        int admitted = 0;
        for (int i = 0; i < 2000; i++) {
            admitted += denials.admit("10.0." + (i / 250) + "." + (i % 250), 0) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(AnonymousDenials.PER_MINUTE);
        assertThat(denials.dropped()).isEqualTo(1000);
    }
}
