package dev.atelier.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrafficSplitTest {
    @Test
    void readsPairsInTheOrderGivenToleratingSpaces() {
        assertThat(TrafficSplit.parse("blue=90, green = 10").weights()).containsExactly(Map.entry("blue", 90), Map.entry("green", 10));
        assertThat(TrafficSplit.parse("green=0").weights()).containsExactly(Map.entry("green", 0));
    }

    @Test
    void refusesWhatIsNotNamePercentNamingTheEntry() {
        assertThatThrownBy(() -> TrafficSplit.parse("blue=90,green")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'green'");
        assertThatThrownBy(() -> TrafficSplit.parse("blue=ninety")).hasMessageContaining("'blue=ninety'");
        assertThatThrownBy(() -> TrafficSplit.parse("blue=-5")).hasMessageContaining("'blue=-5'");
        assertThatThrownBy(() -> TrafficSplit.parse("blue=101")).hasMessageContaining("at most 100");
        assertThatThrownBy(() -> TrafficSplit.parse("blue=50,blue=50")).hasMessageContaining("named twice");
        assertThatThrownBy(() -> TrafficSplit.parse("blue=50,")).hasMessageContaining("got ''");
        assertThatThrownBy(() -> TrafficSplit.parse(" ")).hasMessageContaining("got nothing");
    }

    @Test
    void describesAsTyped() {
        assertThat(TrafficSplit.describe(Map.of())).isEqualTo("-");
        assertThat(TrafficSplit.describe(TrafficSplit.parse("blue=90,green=10").weights())).isEqualTo("blue=90, green=10");
    }
}
