package dev.rotor.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import io.micronaut.serde.ObjectMapper;
import org.slf4j.event.KeyValuePair;

import java.io.IOException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * One log line per event. On Cloud Run: a JSON object in Cloud Logging's structured format ({@code severity},
 * {@code message}, {@code time}, {@code logging.googleapis.com/trace}), which the logging agent parses from
 * stdout. In local mode ({@code local} among the active environments): plain text for people.
 *
 * <p>Key-value pairs added with SLF4J's fluent API ({@code LOG.atInfo().addKeyValue(...)}) become fields of
 * the JSON object, which Cloud Logging keeps in {@code jsonPayload} and lets queries match
 * ({@code jsonPayload.secret="db"}); values other than text are written as JSON (numbers, lists, objects).
 * A pair without a value is left out. In text they follow the message as {@code key=value}.
 */
public class CloudLoggingLayout extends LayoutBase<ILoggingEvent> {
    static final String TRACE_FIELD = "logging.googleapis.com/trace";
    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private boolean human;

    /** Set from logback.xml with the active Micronaut environments; text output when it names local. */
    public void setEnvironments(String environments) {
        human = environments != null && java.util.Arrays.stream(environments.split(","))
                .map(String::trim).anyMatch("local"::equals);
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        return human ? text(event) : json(event);
    }

    private static String text(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder()
                .append(LOCAL_TIME.format(Instant.ofEpochMilli(e.getTimeStamp()))).append(' ')
                .append(String.format("%-5s", e.getLevel())).append(' ')
                .append(shortName(e.getLoggerName())).append(" - ").append(e.getFormattedMessage());
        for (KeyValuePair kv : pairs(e)) {
            sb.append(' ').append(kv.key).append('=').append(kv.value);
        }
        IThrowableProxy t = e.getThrowableProxy();
        if (t != null) {
            sb.append(CoreConstants.LINE_SEPARATOR).append(ThrowableProxyUtil.asString(t));
        }
        return sb.append(CoreConstants.LINE_SEPARATOR).toString();
    }

    private static String json(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(256).append('{');
        field(sb, "severity", severity(e.getLevel())).append(',');
        String message = e.getFormattedMessage();
        IThrowableProxy t = e.getThrowableProxy();
        if (t != null) {
            message = message + "\n" + ThrowableProxyUtil.asString(t);
        }
        field(sb, "message", message).append(',');
        field(sb, "time", Instant.ofEpochMilli(e.getTimeStamp()).toString()).append(',');
        field(sb, "logger", e.getLoggerName());
        Map<String, String> mdc = e.getMDCPropertyMap();
        String trace = mdc == null ? null : mdc.get(TraceFilter.MDC_KEY);
        if (trace != null) {
            sb.append(',');
            field(sb, TRACE_FIELD, trace);
        }
        for (KeyValuePair kv : pairs(e)) {
            sb.append(',');
            quote(sb, kv.key).append(':');
            if (kv.value instanceof String text) {
                quote(sb, text);
            } else {
                sb.append(json(kv.value));
            }
        }
        return sb.append('}').append(CoreConstants.LINE_SEPARATOR).toString();
    }

    private static List<KeyValuePair> pairs(ILoggingEvent e) {
        List<KeyValuePair> pairs = e.getKeyValuePairs();
        return pairs == null ? List.of() : pairs.stream().filter(kv -> kv.key != null && kv.value != null).toList();
    }

    private static String json(Object value) {
        try {
            return ObjectMapper.getDefault().writeValueAsString(value);
        } catch (IOException | RuntimeException ex) {
            StringBuilder sb = new StringBuilder();
            return quote(sb, String.valueOf(value)).toString();
        }
    }

    static String severity(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "ERROR";
            case Level.WARN_INT -> "WARNING";
            case Level.INFO_INT -> "INFO";
            default -> "DEBUG";
        };
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        quote(sb, name).append(':');
        return quote(sb, value == null ? "" : value);
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    private static String shortName(String logger) {
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }
}
