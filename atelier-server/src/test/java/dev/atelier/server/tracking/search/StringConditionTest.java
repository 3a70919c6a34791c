package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.Database;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StringConditionTest {
    @Test
    void likePatternsBecomeCaseSensitiveGlobPatterns() {
        assertThat(StringCondition.globPattern("a%b_c")).isEqualTo("a*b?c");
        assertThat(StringCondition.globPattern("*?[x]")).isEqualTo("[*][?][[]x]");
        assertThat(StringCondition.globPattern("100\\%\\_\\\\")).isEqualTo("100%_\\");
    }

    @Test
    void sqliteLikeRunsAsGlobAndPostgresLikeKeepsItsEscape() {
        SqlText sqlite = new SqlText();
        StringCondition.append(sqlite, Database.Dialect.SQLITE, "p.value", ComparisonOperator.LIKE, List.of("a\\_%"));
        assertThat(sqlite.toQuery()).isEqualTo(new SqlQuery("p.value GLOB ?", List.of("a_*")));
        SqlText postgres = new SqlText();
        StringCondition.append(postgres, Database.Dialect.POSTGRESQL, "p.value", ComparisonOperator.ILIKE, List.of("a\\_%"));
        assertThat(postgres.toQuery()).isEqualTo(new SqlQuery("p.value ILIKE ? ESCAPE '\\'", List.of("a\\_%")));
    }

    @Test
    void likePatternEndingWithALoneEscapeIsRejected() {
        assertThatThrownBy(() -> StringCondition.append(new SqlText(), Database.Dialect.POSTGRESQL, "p.value",
                ComparisonOperator.LIKE, List.of("a\\")))
                .isInstanceOf(AtelierException.class)
                .hasMessageContaining("must not end with the escape character");
    }
}
