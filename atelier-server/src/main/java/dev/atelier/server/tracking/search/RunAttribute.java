package dev.atelier.server.tracking.search;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The run attributes MLflow lets a search filter and order by, with their {@code runs} column.
 * MLflow's aliases: {@code created} (and {@code Created}) is start_time; {@code run name},
 * {@code Run name} and {@code Run Name} are run_name in filters (not in order_by).
 */
enum RunAttribute {
    ARTIFACT_URI("artifact_uri", false, false),
    END_TIME("end_time", true, true),
    RUN_ID("run_uuid", false, false),
    RUN_NAME("name", false, false),
    START_TIME("start_time", true, true),
    STATUS("status", false, false),
    USER_ID("user_id", false, false);

    private static final Map<String, RunAttribute> ORDER_KEYS = new LinkedHashMap<>();
    private static final Map<String, RunAttribute> FILTER_KEYS = new LinkedHashMap<>();

    static {
        ORDER_KEYS.put("artifact_uri", ARTIFACT_URI);
        ORDER_KEYS.put("end_time", END_TIME);
        ORDER_KEYS.put("run_id", RUN_ID);
        ORDER_KEYS.put("run_name", RUN_NAME);
        ORDER_KEYS.put("start_time", START_TIME);
        ORDER_KEYS.put("status", STATUS);
        ORDER_KEYS.put("user_id", USER_ID);
        ORDER_KEYS.put("created", START_TIME);
        ORDER_KEYS.put("Created", START_TIME);
        FILTER_KEYS.putAll(ORDER_KEYS);
        FILTER_KEYS.put("run name", RUN_NAME);
        FILTER_KEYS.put("Run name", RUN_NAME);
        FILTER_KEYS.put("Run Name", RUN_NAME);
    }

    private final String column;
    private final boolean numeric;
    private final boolean nullable;

    RunAttribute(String column, boolean numeric, boolean nullable) {
        this.column = column;
        this.numeric = numeric;
        this.nullable = nullable;
    }

    /** The column of table {@code runs}. */
    String column() {
        return column;
    }

    boolean isNumeric() {
        return numeric;
    }

    boolean isNullable() {
        return nullable;
    }

    static Optional<RunAttribute> forFilterKey(String key) {
        return Optional.ofNullable(FILTER_KEYS.get(key));
    }

    static Optional<RunAttribute> forOrderKey(String key) {
        return Optional.ofNullable(ORDER_KEYS.get(key));
    }

    /** The keys in MLflow's message format, {@code {'a', 'b'}}. */
    static String describeKeys(boolean forFilter) {
        return SearchMessages.describe((forFilter ? FILTER_KEYS : ORDER_KEYS).keySet());
    }
}
