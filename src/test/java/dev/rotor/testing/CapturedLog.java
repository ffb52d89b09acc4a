package dev.rotor.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What one logger writes while a block runs, for tests that read a log line as the record an operator reads.
 * Closing it puts the logger back as it was, so a test that fails part-way leaves no appender or level behind for
 * the tests after it (surefire runs every class in one JVM).
 */
public final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final Level level;
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    private CapturedLog(String name, Level at) {
        logger = (Logger) LoggerFactory.getLogger(name);
        level = logger.getLevel();
        events.start();
        logger.addAppender(events);
        if (at != null) {
            logger.setLevel(at);
        }
    }

    /** Captures at the logger's own level: what it writes in the tests' configuration (root at WARN). */
    public static CapturedLog of(String name) {
        return new CapturedLog(name, null);
    }

    /** Captures at {@code at}, for the INFO lines the tests' WARN root would otherwise drop. */
    public static CapturedLog of(Class<?> type, Level at) {
        return new CapturedLog(type.getName(), at);
    }

    /** Captures the logger named {@code name} at {@code at}. */
    public static CapturedLog of(String name, Level at) {
        return new CapturedLog(name, at);
    }

    /** The lines written so far, as formatted for the reader. */
    public List<String> messages() {
        return events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(events);
        logger.setLevel(level);
    }
}
