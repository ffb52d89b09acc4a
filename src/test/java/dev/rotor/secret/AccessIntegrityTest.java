package dev.rotor.secret;

import io.micronaut.context.event.ApplicationEventPublisher;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.protobuf.ByteString;
import dev.rotor.error.RemoteException;
import dev.rotor.local.Emulator;
import dev.rotor.local.MutableClock;
import dev.rotor.local.Rewriting;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A payload damaged between Secret Manager and Rotor: AccessSecretVersion answers carry {@code data_crc32c}, and a
 * mismatch means the bytes were corrupted in transit, so they are read again (gcp-api-facts §1.7). The damage is
 * done by a gRPC interceptor ({@link Rewriting}) on the real client's channel to the emulator's loopback port.
 */
class AccessIntegrityTest {
    private static final String SECRET = "s3cr3t-payload";
    private final Emulator emulator = Emulator.withLoopback(new MutableClock(Instant.parse("2026-01-05T10:00:00Z")), 0);
    private final AtomicInteger damaged = new AtomicInteger();
    private UnaryOperator<SecretPayload> damage = p -> p;
    private final ManagedChannel channel = NettyChannelBuilder.forTarget(emulator.loopbackAddress().orElseThrow())
            .usePlaintext().intercept(Rewriting.answers(this::maybeDamaged)).build();
    private final SecretManagerServiceClient client;
    private final SecretManagerStore store;
    private final SecretRef ref = new SecretRef("demo-project", "db");

    AccessIntegrityTest() throws IOException {
        client = SecretManagerServiceClient.create(SecretManagerServiceSettings.newBuilder()
                .setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                .setCredentialsProvider(NoCredentialsProvider.create()).build());
        WritePacing unpaced = new WritePacing(0, 0, 0);
        store = new SecretManagerStore(client, new QuotaLimiter(new SecretManagerQuotaProperties(0, 0)),
                new Retrier(new RetryProperties(3, Duration.ZERO)), new WritePacer(unpaced, emulator.clock(), d -> { }, ApplicationEventPublisher.noOp()),
                unpaced, new ProjectNumbers());
        client.createSecret("projects/demo-project", "db", Secret.newBuilder().setReplication(Replication.newBuilder()
                .setAutomatic(Replication.Automatic.getDefaultInstance())).build());
        store.addVersion(ref, SECRET.getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() throws InterruptedException {
        client.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        emulator.close();
    }

    /** Applies {@link #damage} to the next {@link #damaged} AccessSecretVersion answers. */
    private Object maybeDamaged(Object answer) {
        return answer instanceof AccessSecretVersionResponse r && damaged.getAndDecrement() > 0
                ? r.toBuilder().setPayload(damage.apply(r.getPayload())).build() : answer;
    }

    private static SecretPayload flipFirstByte(SecretPayload p) {
        byte[] data = p.getData().toByteArray();
        data[0] ^= 1;
        return p.toBuilder().setData(ByteString.copyFrom(data)).build();
    }

    @Test
    void aPayloadDamagedInTransitIsReadAgain() {
        damage = AccessIntegrityTest::flipFirstByte;
        damaged.set(1);
        long before = emulator.faults().calls("AccessSecretVersion");
        assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), store.access(ref, 1));
        assertEquals(2, emulator.faults().calls("AccessSecretVersion") - before);
    }

    @Test
    void aPayloadDamagedOnEveryReadFailsRetryablyWithoutShowingIt() {
        damage = AccessIntegrityTest::flipFirstByte;
        damaged.set(100);
        RemoteException e = assertThrows(RemoteException.Retryable.class, () -> store.access(ref, 1));
        assertEquals("AccessSecretVersion projects/demo-project/secrets/db/versions/1 returned a payload whose CRC32C "
                + "does not match; nothing was changed", e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t") || e.getMessage().contains("r3t-payload"));
    }

    @Test
    void aPayloadWithoutAChecksumIsTakenAsItIs() {
        damage = p -> p.toBuilder().clearDataCrc32C().build();
        damaged.set(1);
        assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), store.access(ref, 1));
    }
}
