package dev.atelier.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsEachUnit() {
        assertThat(converter.convert("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(converter.convert("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(converter.convert("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(converter.convert("0s")).isEqualTo(Duration.ZERO);
    }

    @Test
    void addsCombinedParts() {
        assertThat(converter.convert("1d12h")).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void refusesNumbersWithoutUnitAndUnknownUnits() {
        assertThatThrownBy(() -> converter.convert("30")).isInstanceOf(TypeConversionException.class).hasMessageContaining("'30'");
        assertThatThrownBy(() -> converter.convert("3w")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("-1d")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void refusesDurationsTooLongForMilliseconds() {
        assertThatThrownBy(() -> converter.convert("99999999999999999d")).isInstanceOf(TypeConversionException.class);
    }
}
