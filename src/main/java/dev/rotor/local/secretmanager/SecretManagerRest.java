package dev.rotor.local.secretmanager;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret Manager's REST surface (the HTTP bindings of service.proto, gcp-api-facts §1.1) over the same
 * {@link SecretManagerState} as gRPC, so {@code gcloud}, which speaks REST only, can read the emulator:
 * {@code GET /v1/projects/P/secrets}, {@code .../secrets/S}, {@code .../secrets/S/versions},
 * {@code .../versions/V} and {@code .../versions/V:access}. Bodies use the proto3 JSON mapping
 * (protobuf-java-util {@link JsonFormat}); errors use Google's JSON error shape
 * ({@code {"error": {"code", "message", "status"}}}, https://cloud.google.com/apis/design/errors#http_mapping)
 * with the HTTP status of the gRPC code. Any bearer token is accepted; none is 401 UNAUTHENTICATED. Writes
 * over REST are not modelled: they answer 501 UNIMPLEMENTED naming the call.
 */
public final class SecretManagerRest {
    private static final Pattern SECRETS = Pattern.compile("/v1/(projects/[^/]+)/secrets");
    private static final Pattern SECRET = Pattern.compile("/v1/(projects/[^/]+/secrets/[^/:]+)");
    private static final Pattern VERSIONS = Pattern.compile("/v1/(projects/[^/]+/secrets/[^/:]+)/versions");
    private static final Pattern VERSION = Pattern.compile("/v1/(projects/[^/]+/secrets/[^/]+/versions/[^/:]+)");
    private static final Pattern ACCESS = Pattern.compile("/v1/(projects/[^/]+/secrets/[^/]+/versions/[^/:]+):access");
    private final SecretManagerState state;

    /** An HTTP answer: status and a JSON body. */
    public record Response(int status, String json) {
    }

    public SecretManagerRest(SecretManagerState state) {
        this.state = state;
    }

    /** Answers one request: {@code q} holds its query parameters, {@code authorization} the header or null. */
    public Response handle(String method, String path, Map<String, String> q, String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= 7) {
            return error(Status.UNAUTHENTICATED.withDescription("Request is missing required authentication "
                    + "credential. Expected OAuth 2 access token."));
        }
        if (!method.equals("GET")) {
            return error(Status.UNIMPLEMENTED.withDescription(method + " " + path
                    + " is not implemented by Rotor's emulator over REST (reads only; see docs/emulator.md)."));
        }
        Matcher m;
        if ((m = SECRETS.matcher(path)).matches()) {
            String parent = m.group(1);
            return ok(() -> state.list(parent, size(q), q.getOrDefault("pageToken", ""), q.getOrDefault("filter", "")));
        }
        if ((m = SECRET.matcher(path)).matches()) {
            String name = m.group(1);
            return ok(() -> state.get(name));
        }
        if ((m = VERSIONS.matcher(path)).matches()) {
            String parent = m.group(1);
            return ok(() -> state.listVersions(parent, size(q), q.getOrDefault("pageToken", ""),
                    q.getOrDefault("filter", "")));
        }
        if ((m = ACCESS.matcher(path)).matches()) {
            String name = m.group(1);
            return ok(() -> state.access(name));
        }
        if ((m = VERSION.matcher(path)).matches()) {
            String name = m.group(1);
            return ok(() -> state.getVersion(name));
        }
        return error(Status.NOT_FOUND.withDescription("No Secret Manager REST method matches GET " + path + "."));
    }

    private static int size(Map<String, String> q) {
        try {
            return Integer.parseInt(q.getOrDefault("pageSize", "0"));
        } catch (NumberFormatException e) {
            throw Status.INVALID_ARGUMENT.withDescription("Invalid value at 'page_size'.").asRuntimeException();
        }
    }

    private static Response ok(Supplier<? extends Message> call) {
        try {
            return new Response(200, JsonFormat.printer().print(call.get()));
        } catch (StatusRuntimeException e) {
            return error(e.getStatus());
        } catch (InvalidProtocolBufferException e) {
            return error(Status.INTERNAL.withDescription("the emulator could not print its answer"));
        }
    }

    private static Response error(Status status) {
        int http = httpStatus(status.getCode());
        Struct body = Struct.newBuilder().putFields("error", Value.newBuilder().setStructValue(Struct.newBuilder()
                .putFields("code", Value.newBuilder().setNumberValue(http).build())
                .putFields("message", Value.newBuilder().setStringValue(
                        status.getDescription() == null ? status.getCode().name() : status.getDescription()).build())
                .putFields("status", Value.newBuilder().setStringValue(status.getCode().name()).build())).build())
                .build();
        try {
            return new Response(http, JsonFormat.printer().print(body));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** gRPC code to HTTP status, as google/rpc/code.proto maps them. */
    static int httpStatus(Status.Code code) {
        return switch (Code.forNumber(code.value())) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case CANCELLED -> 499;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            case null, default -> 500;
        };
    }
}
