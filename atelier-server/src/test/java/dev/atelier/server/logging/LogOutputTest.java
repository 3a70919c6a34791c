package dev.atelier.server.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/operations.md, "Logs": the server's SLF4J backend, its JSON lines, its fields and its per-logger levels. */
class LogOutputTest {
    @Test
    void aLineWithFieldsAndContextIsOneJsonObject() throws Exception {
        assertThat(LoggerFactory.getLogger("dev.atelier.test")).isInstanceOf(AtelierLogger.class);
        List<LogLine> lines = new CopyOnWriteArrayList<>();
        Logger logger = LoggerFactory.getLogger("dev.atelier.test.Json");
        LogOutput.Listening listening = LogOutput.listen(lines::add);
        try {
            MDC.put("request_id", "abc123");
            try {
                logger.atWarn().addKeyValue("status", 503).log("database {} unreachable", "main", new IllegalStateException("down"));
            } finally {
                MDC.remove("request_id");
            }
        } finally {
            listening.close();
        }
        LogLine line = lines.stream().filter(l -> l.logger().equals("dev.atelier.test.Json")).findFirst().orElseThrow();
        JsonNode json = new ObjectMapper().readTree(LogOutput.json(line));
        assertThat(json.get("level").asText()).isEqualTo("WARN");
        assertThat(json.get("logger").asText()).isEqualTo("dev.atelier.test.Json");
        assertThat(json.get("msg").asText()).isEqualTo("database main unreachable");
        assertThat(json.get("request_id").asText()).isEqualTo("abc123");
        assertThat(json.get("status").asInt()).isEqualTo(503);
        assertThat(json.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(json.get("error").asText()).contains("IllegalStateException: down");
        assertThat(LogOutput.json(line)).doesNotContain("\n");
    }

    @Test
    void levelsComeFromSimpleloggerPropertiesAndSystemProperties() {
        // simplelogger.properties: Jetty at warn.
        assertThat(LoggerFactory.getLogger("org.eclipse.jetty.server.Server").isInfoEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("org.eclipse.jetty.server.Server").isWarnEnabled()).isTrue();
        System.setProperty("org.slf4j.simpleLogger.log.dev.atelier.quiet", "off");
        try {
            assertThat(LoggerFactory.getLogger("dev.atelier.quiet.Access").isErrorEnabled()).isFalse();
        } finally {
            System.clearProperty("org.slf4j.simpleLogger.log.dev.atelier.quiet");
        }
        assertThat(LoggerFactory.getLogger("dev.atelier.loud").isInfoEnabled()).isTrue();
        assertThat(LogOutput.parseFormat("JSON")).isEqualTo(LogFormat.JSON);
    }
}
