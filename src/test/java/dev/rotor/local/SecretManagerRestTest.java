package dev.rotor.local;

import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.ListSecretVersionsResponse;
import com.google.cloud.secretmanager.v1.ListSecretsResponse;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Secret Manager over REST reads the same state as over gRPC, with the proto JSON mapping and Google's errors. */
class SecretManagerRestTest {
    private final Emulator emulator = Emulator.withLoopback(java.time.Clock.systemUTC(), 0);
    private final HttpClient http = HttpClient.newHttpClient();
    private final String number;

    SecretManagerRestTest() {
        DemoSeed.seed(emulator);
        number = emulator.projects().number(DemoSeed.PROJECT);
        emulator.secretManager().add("projects/demo-project/secrets/demo-db-password",
                SecretPayload.newBuilder().setData(ByteString.copyFromUtf8("s3cret")).build());
    }

    @AfterEach
    void close() {
        emulator.close();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.httpUrl().orElseThrow() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <T extends Message.Builder> T parse(String json, T builder) throws Exception {
        JsonFormat.parser().merge(json, builder);
        return builder;
    }

    @Test
    void readsTheSameStateAsGrpcInTheProtoJsonMapping() throws Exception {
        ListSecretsResponse list = parse(get("v1/projects/demo-project/secrets?pageSize=2", "any").body(),
                ListSecretsResponse.newBuilder()).build();
        assertEquals(emulator.secretManager().list("projects/demo-project", 2, "", ""), list);
        Secret secret = parse(get("v1/projects/" + number + "/secrets/demo-db-password", "any").body(),
                Secret.newBuilder()).build();
        assertEquals(emulator.secretManager().get("projects/demo-project/secrets/demo-db-password"), secret);
        ListSecretVersionsResponse versions = parse(get("v1/projects/demo-project/secrets/demo-db-password/versions",
                "any").body(), ListSecretVersionsResponse.newBuilder()).build();
        assertEquals(1, versions.getVersionsCount());
        AccessSecretVersionResponse access = parse(get(
                "v1/projects/demo-project/secrets/demo-db-password/versions/latest:access", "any").body(),
                AccessSecretVersionResponse.newBuilder()).build();
        assertEquals("s3cret", access.getPayload().getData().toStringUtf8());
        assertEquals("projects/" + number + "/secrets/demo-db-password/versions/1", access.getName());
    }

    @Test
    void errorsAreGooglesJsonShapeWithTheMatchingHttpStatus() throws Exception {
        assertError(get("v1/projects/demo-project/secrets/none", "any"), 404, "NOT_FOUND");
        assertError(get("v1/projects/demo-project/secrets", null), 401, "UNAUTHENTICATED");
        assertError(get("v1/projects/demo-project/secrets/demo-db-password/versions/9:access", "any"), 404, "NOT_FOUND");
        emulator.secretManager().disable("projects/demo-project/secrets/demo-db-password/versions/1", "");
        assertError(get("v1/projects/demo-project/secrets/demo-db-password/versions/1:access", "any"), 400,
                "FAILED_PRECONDITION");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(emulator.httpUrl().orElseThrow()
                        + "v1/projects/demo-project/secrets/demo-db-password:addVersion")).header("Authorization", "Bearer x")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertError(post, 501, "UNIMPLEMENTED");
        assertEquals(1, emulator.secretManager().listVersions("projects/demo-project/secrets/demo-db-password", 0, "", "")
                .getVersionsCount(), "a refused write changes nothing");
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        Struct error = parse(response.body(), Struct.newBuilder()).getFieldsOrThrow("error").getStructValue();
        assertEquals(status, (int) error.getFieldsOrThrow("code").getNumberValue());
        assertEquals(code, error.getFieldsOrThrow("status").getStringValue());
    }
}
