package dev.atelier.sdk;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoleTest {
    @Test
    void readsRolesInAnyCaseWithSpacesDashesOrUnderscores() {
        assertThat(Role.parse("owner")).isEqualTo(Role.OWNER);
        assertThat(Role.parse("Data Scientist")).isEqualTo(Role.DATA_SCIENTIST);
        assertThat(Role.parse("data-scientist")).isEqualTo(Role.DATA_SCIENTIST);
        assertThat(Role.parse("COMPUTE_OPERATOR")).isEqualTo(Role.COMPUTE_OPERATOR);
        assertThat(Role.parse(" compute-operator ")).isEqualTo(Role.COMPUTE_OPERATOR);
        assertThat(Role.COMPUTE_OPERATOR.wireName()).isEqualTo("Compute Operator");
    }

    @Test
    void unknownRoleNamesTheRoles() {
        assertThatThrownBy(() -> Role.parse("boss"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'boss'")
                .hasMessageContaining("Owner, Contributor, Data Scientist, Compute Operator, Reader");
    }
}
