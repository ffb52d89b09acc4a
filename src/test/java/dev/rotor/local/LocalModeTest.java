package dev.rotor.local;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import io.grpc.ManagedChannelBuilder;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalModeTest {
    @Test
    void aUsersOwnClientReachesTheSeededEmulatorThroughLocalEndpoints() throws Exception {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("micronaut.server.port", -1, "rotor.local.run-every", "1h"), "local");
             HttpClient http = HttpClient.create(server.getURL())) {
            @SuppressWarnings("unchecked")
            Map<String, String> endpoints = http.toBlocking().retrieve(HttpRequest.GET("/local/endpoints"), Map.class);
            String address = endpoints.get("secretmanager");
            assertTrue(address.startsWith("127.0.0.1:"), address);
            SecretManagerServiceSettings settings = SecretManagerServiceSettings.newBuilder()
                    .setTransportChannelProvider(InstantiatingGrpcChannelProvider.newBuilder().setEndpoint(address)
                            .setChannelConfigurator(ManagedChannelBuilder::usePlaintext).build())
                    .setCredentialsProvider(NoCredentialsProvider.create()).build();
            try (SecretManagerServiceClient own = SecretManagerServiceClient.create(settings)) {
                List<String> names = new ArrayList<>();
                own.listSecrets("projects/demo-project").iterateAll().forEach(s -> names.add(s.getName()));
                assertTrue(names.stream().anyMatch(n -> n.matches("projects/\\d+/secrets/demo-db-password")),
                        names.toString());
                assertEquals(5, names.size());
            }
        }
    }

    @Test
    void refusesToStartOnCloudRun() {
        Exception e = assertThrows(Exception.class, () -> ApplicationContext.run(EmbeddedServer.class,
                Map.of("micronaut.server.port", -1, "k.service", "rotor"), "local"));
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        assertTrue(t.getMessage().contains("must never run on Cloud Run"), t.getMessage());
    }
}
