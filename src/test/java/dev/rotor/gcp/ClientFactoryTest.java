package dev.rotor.gcp;

import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.secretmanager.v1.GetSecretRequest;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceGrpc;
import com.google.api.gax.rpc.NotFoundException;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The client factories build the official clients on whatever channel the {@link GcpChannels} seam gives. */
class ClientFactoryTest {
    private final List<String> seen = new ArrayList<>();
    private Server server;
    private ManagedChannel channel;
    private ApplicationContext context;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new SecretManagerServiceGrpc.SecretManagerServiceImplBase() {
                    @Override
                    public void getSecret(GetSecretRequest request, StreamObserver<Secret> response) {
                        seen.add(request.getName());
                        if (request.getName().endsWith("/missing")) {
                            response.onError(Status.NOT_FOUND.withDescription("Secret [x] not found").asRuntimeException());
                            return;
                        }
                        response.onNext(Secret.newBuilder().setName(request.getName()).build());
                        response.onCompleted();
                    }
                }).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        TransportChannelProvider fixed = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
        context = ApplicationContext.builder("test").properties(Map.of("rotor.credentials", "none")).build();
        context.registerSingleton(GcpChannels.class, new GcpChannels() {
            @Override
            public TransportChannelProvider channelFor(GcpService service) {
                return fixed;
            }

            @Override
            public boolean loopback(GcpService service) {
                return true; // in-process
            }
        });
        context.start();
    }

    @AfterEach
    void stop() {
        context.close();
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void secretManagerClientTalksThroughTheReplacedChannel() {
        SecretManagerServiceClient client = context.getBean(SecretManagerServiceClient.class);
        Secret secret = client.getSecret("projects/p/secrets/s");
        assertEquals("projects/p/secrets/s", secret.getName());
        assertEquals(List.of("projects/p/secrets/s"), seen);
    }

    @Test
    void grpcStatusReachesTheCallerAsTheMatchingApiException() {
        SecretManagerServiceClient client = context.getBean(SecretManagerServiceClient.class);
        assertThrows(NotFoundException.class, () -> client.getSecret("projects/p/secrets/missing"));
    }

    @Test
    void clientIsClosedWithTheContext() {
        SecretManagerServiceClient client = context.getBean(SecretManagerServiceClient.class);
        context.close();
        assertEquals(true, client.isShutdown());
    }
}
