package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.search.ComparisonOperator;
import dev.atelier.server.tracking.search.RawComparison;
import dev.atelier.server.tracking.search.RawValue;
import dev.atelier.server.tracking.search.SearchSyntax;
import dev.atelier.server.tracking.search.SqlQuery;
import dev.atelier.server.tracking.search.SqlText;
import dev.atelier.server.tracking.search.StringCondition;
import org.jdbi.v3.core.statement.Query;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The filter of registered-models/search and model-versions/search, MLflow's registry grammar
 * (mlflow/utils/search_utils.py, {@code SearchModelUtils} and {@code SearchModelVersionUtils}):
 * comparisons joined by AND over attributes ({@code name}; for versions also {@code run_id},
 * {@code source_path} and the number {@code version_number}) and tags ({@code tags.key} or
 * {@code tag.`a key`}). Strings take {@code =}, {@code !=}, {@code LIKE}, {@code ILIKE}; only
 * {@code run_id} takes {@code IN ('a', 'b')}; {@code version_number} takes numeric comparators.
 * A tag comparison matches entities that have the tag with a matching value, as MLflow's SQL store.
 * LIKE and ILIKE behave the same on SQLite and PostgreSQL (tracking's {@link StringCondition}).
 *
 * <p>Prompts (MLflow 2.21+'s prompt registry: models whose tag {@value #PROMPT_TAG} is {@code true})
 * are left out unless the filter asks for them, as MLflow's SQL store does
 * ({@code _is_querying_prompt}, {@code _update_query_to_exclude_prompts}): the first comparison on
 * that tag decides; {@code = 'true'} or {@code != 'false'} (value in any case) searches prompts with
 * the comparisons as written; anything else, or no such comparison, drops every comparison on that
 * tag and excludes the models (for versions: the versions of models) having a version or model tagged
 * as a prompt. So MLflow 2.22's client, which appends {@code AND tags.`mlflow.prompt.is_prompt` != 'true'}
 * to every filter, finds the models that lack the tag.
 */
record RegistryFilter(Vocabulary vocabulary, List<Predicate> predicates) {
    private static final Set<ComparisonOperator> STRING = EnumSet.of(ComparisonOperator.EQUAL, ComparisonOperator.NOT_EQUAL,
            ComparisonOperator.LIKE, ComparisonOperator.ILIKE);
    private static final Set<ComparisonOperator> STRING_OR_LIST = EnumSet.of(ComparisonOperator.EQUAL, ComparisonOperator.NOT_EQUAL,
            ComparisonOperator.LIKE, ComparisonOperator.ILIKE, ComparisonOperator.IN);

    /** The tag that marks a registered model or version as a prompt (MLflow's {@code IS_PROMPT_TAG_KEY}). */
    static final String PROMPT_TAG = "mlflow.prompt.is_prompt";

    /**
     * What a search can filter on: string attributes with their columns, numeric ones, its tag table, how a tag row
     * joins the entity, and how a prompt tag row joins it (by model name, for versions as for models: MLflow's anti-join).
     */
    record Vocabulary(Map<String, String> stringAttributes, Map<String, String> numericAttributes, String tagTable, String tagJoin,
                      String promptJoin) {
    }

    static final Vocabulary MODELS = new Vocabulary(Map.of("name", "name"), Map.of(), "registered_model_tags",
            "t.workspace = registered_models.workspace AND t.name = registered_models.name",
            "t.workspace = registered_models.workspace AND t.name = registered_models.name");
    static final Vocabulary VERSIONS = new Vocabulary(Map.of("name", "name", "run_id", "run_id", "source_path", "source"),
            Map.of("version_number", "version"), "model_version_tags",
            "t.workspace = model_versions.workspace AND t.name = model_versions.name AND t.version = model_versions.version",
            "t.workspace = model_versions.workspace AND t.name = model_versions.name");

    sealed interface Predicate {
    }

    record StringAttribute(String column, ComparisonOperator operator, List<String> values) implements Predicate {
        StringAttribute {
            values = List.copyOf(values);
        }
    }

    record NumericAttribute(String column, ComparisonOperator operator, long value) implements Predicate {
    }

    record Tag(String key, ComparisonOperator operator, String value) implements Predicate {
    }

    /** Leaves out prompts: no tag row of the same model name says {@value #PROMPT_TAG} = 'true'. */
    record NotPrompt() implements Predicate {
    }

    RegistryFilter {
        requireNonNull(vocabulary, "vocabulary is null");
        predicates = List.copyOf(predicates);
    }

    /** @throws AtelierException INVALID_PARAMETER_VALUE naming what is wrong with {@code filter} */
    static RegistryFilter parse(String filter, Vocabulary vocabulary) {
        List<Predicate> predicates = SearchSyntax.parseFilter(filter, comparison -> predicate(comparison, vocabulary));
        return new RegistryFilter(vocabulary, queriesPrompts(predicates) ? predicates : withoutPrompts(predicates));
    }

    /** MLflow's {@code _is_querying_prompt}: the first comparison on the prompt tag decides. */
    private static boolean queriesPrompts(List<Predicate> predicates) {
        for (Predicate predicate : predicates) {
            if (predicate instanceof Tag tag && tag.key().equals(PROMPT_TAG)) {
                String value = tag.value().toLowerCase(Locale.ROOT);
                return tag.operator() == ComparisonOperator.EQUAL && value.equals("true")
                        || tag.operator() == ComparisonOperator.NOT_EQUAL && value.equals("false");
            }
        }
        return false;
    }

    private static List<Predicate> withoutPrompts(List<Predicate> predicates) {
        List<Predicate> kept = new java.util.ArrayList<>();
        for (Predicate predicate : predicates) {
            if (!(predicate instanceof Tag tag && tag.key().equals(PROMPT_TAG))) {
                kept.add(predicate);
            }
        }
        kept.add(new NotPrompt());
        return kept;
    }

    private static Predicate predicate(RawComparison comparison, Vocabulary vocabulary) {
        String entity = comparison.identifier().entity();
        String key = comparison.identifier().key();
        ComparisonOperator operator = ComparisonOperator.fromText(comparison.operator()).orElseThrow(() ->
                AtelierException.invalidParameter("Invalid comparator '" + comparison.operator() + "' in filter."));
        if (entity != null && !Set.of("attribute", "tag", "tags").contains(entity)) {
            throw AtelierException.invalidParameter("Invalid entity type '" + entity + "'. Valid entity types are "
                    + "('attribute', 'tag', 'tags')");
        }
        if (entity != null && entity.startsWith("tag")) {
            requireOperator(operator, STRING, "tag");
            return new Tag(key, operator, quoted(comparison.value(), "tag"));
        }
        String lowered = key.toLowerCase(Locale.ROOT);
        if (vocabulary.numericAttributes().containsKey(lowered)) {
            requireOperator(operator, ComparisonOperator.NUMERIC, "numeric attribute: " + key);
            if (!(comparison.value() instanceof RawValue.NumberLiteral number) || !number.source().matches("[-+]?\\d+")) {
                throw AtelierException.invalidParameter("Expected numeric value type for numeric attribute: " + key
                        + ". Found " + comparison.value().source());
            }
            return new NumericAttribute(vocabulary.numericAttributes().get(lowered), operator, Long.parseLong(number.source()));
        }
        String column = vocabulary.stringAttributes().get(lowered);
        if (column == null) {
            throw AtelierException.invalidParameter("Invalid attribute key '" + key + "' specified. Valid keys are '"
                    + new java.util.TreeSet<>(vocabulary.stringAttributes().keySet()).descendingSet() + "'");
        }
        if (comparison.value() instanceof RawValue.TextList list) {
            if (!lowered.equals("run_id")) {
                throw AtelierException.invalidParameter("Only the 'run_id' attribute supports comparison with a list of quoted string values.");
            }
            requireOperator(operator, EnumSet.of(ComparisonOperator.IN), "attribute: " + key + " with a list");
            return new StringAttribute(column, operator, list.items());
        }
        requireOperator(operator, vocabulary == VERSIONS ? STRING_OR_LIST : STRING, "attribute: " + key);
        if (operator == ComparisonOperator.IN) {
            throw AtelierException.invalidParameter("Only the 'run_id' attribute supports comparison with a list of quoted string values.");
        }
        return new StringAttribute(column, operator, List.of(quoted(comparison.value(), "attributes")));
    }

    private static void requireOperator(ComparisonOperator operator, Set<ComparisonOperator> allowed, String what) {
        if (!allowed.contains(operator)) {
            throw AtelierException.invalidParameter("Invalid comparator '" + operator.text() + "' for " + what
                    + ". Valid comparators are " + ComparisonOperator.describe(allowed) + ".");
        }
    }

    private static String quoted(RawValue value, String what) {
        if (value instanceof RawValue.QuotedText text) {
            return text.text();
        }
        throw AtelierException.invalidParameter("Expected a quoted string value for " + what + " (e.g. 'my-value'). Got value "
                + value.source());
    }

    /** The SQL condition ({@code 1 = 1} without predicates) with named parameters {@code :filterN}; bind with {@link #bind}. */
    Rendered render(Database.Dialect dialect) {
        SqlText sql = new SqlText().append("1 = 1");
        for (Predicate predicate : predicates) {
            sql.append(" AND ");
            switch (predicate) {
                case StringAttribute attribute -> StringCondition.append(sql, dialect, attribute.column(), attribute.operator(), attribute.values());
                case NumericAttribute attribute -> sql.append(attribute.column() + " " + attribute.operator().text() + " ?", attribute.value());
                case Tag tag -> {
                    sql.append("EXISTS (SELECT 1 FROM " + vocabulary.tagTable() + " t WHERE " + vocabulary.tagJoin() + " AND t.key = ? AND ", tag.key());
                    StringCondition.append(sql, dialect, "t.value", tag.operator(), List.of(tag.value()));
                    sql.append(")");
                }
                case NotPrompt ignored -> sql.append("NOT EXISTS (SELECT 1 FROM " + vocabulary.tagTable() + " t WHERE "
                        + vocabulary.promptJoin() + " AND t.key = ? AND t.value = ?)", PROMPT_TAG, "true");
            }
        }
        return Rendered.named(sql.toQuery());
    }

    /** A condition whose positional markers became {@code :filter0}, {@code :filter1}... so it joins named SQL. */
    record Rendered(String sql, List<Object> parameters) {
        Rendered {
            parameters = List.copyOf(parameters);
        }

        static Rendered named(SqlQuery query) {
            StringBuilder sql = new StringBuilder();
            int index = 0;
            for (char c : query.sql().toCharArray()) {
                if (c == '?') {
                    sql.append(":filter").append(index++);
                } else {
                    sql.append(c);
                }
            }
            return new Rendered(sql.toString(), query.parameters());
        }

        void bind(Query query) {
            for (int i = 0; i < parameters.size(); i++) {
                query.bind("filter" + i, parameters.get(i));
            }
        }
    }
}
