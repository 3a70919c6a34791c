package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ViewTypeTest {
    @Test
    void viewTypeParsesNamesAndNumbers() {
        assertThat(ViewType.parse(null)).isEqualTo(ViewType.ACTIVE_ONLY);
        assertThat(ViewType.parse("deleted_only")).isEqualTo(ViewType.DELETED_ONLY);
        assertThat(ViewType.parse("3")).isEqualTo(ViewType.ALL);
        assertThatThrownBy(() -> ViewType.parse("SOME")).isInstanceOf(AtelierException.class)
                .hasMessageContaining("Invalid view type 'SOME'");
    }
}
