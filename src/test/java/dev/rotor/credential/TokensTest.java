package dev.rotor.credential;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.rotor.error.RemoteException;
import dev.rotor.policy.Policy;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules every token kind shares, at their boundaries: a published token outlives the next run and is not due
 * at once, PERMISSION_DENIED and transient failures are retried within the budget and then explained.
 */
class TokensTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final TokenSettings SETTINGS = new TokenSettings(Duration.ofMinutes(5), Duration.ofSeconds(7),
            Duration.ofMinutes(2));
    /** Asks for 2 h tokens, refreshed 1 h before they expire. */
    private static final Policy TWO_HOURS = GeneratedTest.policy(Map.of("rotor.kind", "access-token",
            "rotor.service-account", "app@p.iam.gserviceaccount.com", "rotor.lifetime", "PT2H",
            "rotor.refresh-before", "PT1H"));

    private static void verify(Instant expiresAt, Policy policy) {
        Tokens.verify(new TokenMinter.Token("ya29.token", expiresAt), policy, SETTINGS, CLOCK);
    }

    @Test
    void aTokenMustOutliveTheNextRunStrictly() {
        Policy shortRefresh = GeneratedTest.policy(Map.of("rotor.kind", "access-token",
                "rotor.service-account", "app@p.iam.gserviceaccount.com", "rotor.refresh-before", "PT1M"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> verify(NOW.plus(SETTINGS.runInterval()), shortRefresh));
        assertTrue(e.getMessage().contains("before the next run"), e.getMessage());
        assertDoesNotThrow(() -> verify(NOW.plus(SETTINGS.runInterval()).plusSeconds(1), shortRefresh));
    }

    @Test
    void aTokenThatWouldBeDueAtOnceIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> verify(NOW.plus(Duration.ofHours(1)),
                TWO_HOURS), "IAM granted 1 h and refresh-before is 1 h: due the moment it is published");
        assertTrue(e.getMessage().contains("(60 min from now), and rotor.refresh-before PT1H is not shorter"),
                e.getMessage());
        assertDoesNotThrow(() -> verify(NOW.plus(Duration.ofHours(1)).plusSeconds(1), TWO_HOURS));
    }

    @Test
    void anEmptyTokenIsNeverPublished() {
        for (String empty : new String[] {null, "", "  "}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tokens.verify(
                    new TokenMinter.Token(empty, NOW.plus(Duration.ofHours(2))), TWO_HOURS, SETTINGS, CLOCK));
            assertTrue(e.getMessage().contains("empty token"), e.getMessage());
        }
    }

    @Test
    void aRefreshNoLongerThanTheRunIntervalIsWarnedAbout() {
        Policy fiveMinutes = GeneratedTest.policy(Map.of("rotor.kind", "access-token",
                "rotor.service-account", "app@p.iam.gserviceaccount.com", "rotor.refresh-before", "PT5M"));
        List<String> warned = logged(() -> verify(NOW.plus(Duration.ofHours(1)), fiveMinutes));
        assertEquals(1, warned.size(), warned.toString());
        assertTrue(warned.getFirst().contains("is not longer than the run interval"), warned.toString());
        Policy sixMinutes = GeneratedTest.policy(Map.of("rotor.kind", "access-token",
                "rotor.service-account", "app@p.iam.gserviceaccount.com", "rotor.refresh-before", "PT6M"));
        assertEquals(List.of(), logged(() -> verify(NOW.plus(Duration.ofHours(1)), sixMinutes)));
    }

    @Test
    void permissionDeniedAndTransientFailuresAreRetriedUntilTheTokenComes() {
        AtomicInteger calls = new AtomicInteger();
        List<Duration> slept = new ArrayList<>();
        TokenMinter.Token token = new TokenMinter.Token("ya29.token", NOW.plus(Duration.ofHours(1)));
        assertSame(token, Tokens.mint("app@p", SETTINGS, slept::add, () -> switch (calls.incrementAndGet()) {
            case 1 -> throw new RemoteException.PermissionDenied("grant propagating", null);
            case 2 -> throw new RemoteException.Retryable("UNAVAILABLE", null);
            default -> token;
        }));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), slept);
    }

    @Test
    void permissionDeniedPastTheBudgetSaysWhichGrantIsMissing() {
        RemoteException.PermissionDenied e = assertThrows(RemoteException.PermissionDenied.class,
                () -> Tokens.mint("app@p", SETTINGS, d -> { }, () -> {
                    throw new RemoteException.PermissionDenied("denied", null);
                }));
        assertTrue(e.getMessage().contains("Rotor may not mint tokens for app@p (still PERMISSION_DENIED after 7 s)")
                && e.getMessage().contains("iam.serviceAccounts.getAccessToken"), e.getMessage());
    }

    @Test
    void anyOtherFailureIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(RemoteException.Fatal.class, () -> Tokens.mint("app@p", SETTINGS, d -> { }, () -> {
            calls.incrementAndGet();
            throw new RemoteException.Fatal("INVALID_ARGUMENT", null);
        }));
        assertEquals(1, calls.get());
    }

    @Test
    void aLifetimeAboveTheMaximumIsClampedToIt() {
        Duration max = Duration.ofHours(12);
        assertEquals(max, Tokens.clamp(Duration.ofHours(13), max));
        assertEquals(Duration.ofHours(3), Tokens.clamp(Duration.ofHours(3), max));
        assertEquals(1, logged(() -> Tokens.clamp(Duration.ofHours(13), max)).size(), "and says so");
    }

    private static List<String> logged(Runnable r) {
        Logger logger = (Logger) LoggerFactory.getLogger(Tokens.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            r.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
