package dev.rotor.local.faults;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies {@link Faults} and {@link Quotas} to every emulated RPC, whatever the service: latency, then the
 * quota of the request's project, then an injected error before or after the call takes effect.
 */
public final class FaultInterceptor implements ServerInterceptor {
    private static final Pattern PROJECT = Pattern.compile("^projects/([^/]+)");
    private static final Pattern RESOURCE = Pattern.compile(
            "^projects/[^/]+/(?:locations/[^/]+/)?secrets/[^/]+(?:/versions/[^/]+)?$");
    private final Faults faults;
    private final Quotas quotas;
    private final Function<String, String> quotaCategory;
    private final Function<String, String> resourceRate;

    /** {@code quotaCategory} maps a full gRPC method name to its quota category, or null for none. */
    public FaultInterceptor(Faults faults, Quotas quotas, Function<String, String> quotaCategory) {
        this(faults, quotas, quotaCategory, m -> null);
    }

    /** {@code resourceRate} maps a full gRPC method name to its per-resource rate category, or null. */
    public FaultInterceptor(Faults faults, Quotas quotas, Function<String, String> quotaCategory,
                            Function<String, String> resourceRate) {
        this.faults = faults;
        this.quotas = quotas;
        this.quotaCategory = quotaCategory;
        this.resourceRate = resourceRate;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        Faults.Rule rule = faults.draw(method);
        ServerCall<Q, R> target = rule != null && rule.when() == Faults.When.AFTER ? new LoseResponse<>(call, rule) : call;
        ServerCall.Listener<Q> delegate = next.startCall(target, headers);
        String category = quotaCategory.apply(call.getMethodDescriptor().getFullMethodName());
        String rate = resourceRate.apply(call.getMethodDescriptor().getFullMethodName());
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            private boolean closed;

            @Override
            public void onMessage(Q message) {
                sleep(faults.latencyFor(method));
                if (category != null && !quotas.tryAcquire(category, projectOf(message))) {
                    close(Status.RESOURCE_EXHAUSTED.withDescription("Quota exceeded for quota metric '"
                            + category + "' per minute per project."));
                    return;
                }
                if (rate != null && !quotas.tryAcquireResource(rate, resourceOf(message))) {
                    close(Status.RESOURCE_EXHAUSTED.withDescription("Quota exceeded for quota metric '" + rate
                            + "' per second per resource."));
                    return;
                }
                if (rule != null && rule.when() == Faults.When.BEFORE) {
                    close(rule.status());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!closed) {
                    super.onHalfClose();
                }
            }

            private void close(Status status) {
                closed = true;
                call.close(status, new Metadata());
            }
        };
    }

    static String projectOf(Object message) {
        if (!(message instanceof Message m)) {
            return "";
        }
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            Object value = m.getField(f);
            String candidate = value instanceof String s ? s : value instanceof Message inner ? projectOf(inner) : "";
            Matcher matcher = PROJECT.matcher(candidate);
            if (matcher.find()) {
                return matcher.group(1);
            }
            if (!(value instanceof String) && !candidate.isEmpty()) {
                return candidate;
            }
        }
        return "";
    }

    /** The secret or version a write names: the first name field, looked for one message deep. */
    static String resourceOf(Object message) {
        if (!(message instanceof Message m)) {
            return "";
        }
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            Object value = m.getField(f);
            if (value instanceof String s && RESOURCE.matcher(s).matches()) {
                return s;
            }
            if (value instanceof Message inner && !(inner instanceof com.google.protobuf.FieldMask)) {
                String found = resourceOf(inner);
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        return "";
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The call takes effect, but the caller gets the injected error instead of the response. */
    private static final class LoseResponse<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final Faults.Rule rule;

        LoseResponse(ServerCall<Q, R> delegate, Faults.Rule rule) {
            super(delegate);
            this.rule = rule;
        }

        @Override
        public void sendMessage(R message) {
            // dropped: the effect happened, the answer is lost
        }

        @Override
        public void close(Status status, Metadata trailers) {
            super.close(status.isOk() ? rule.status() : status, trailers);
        }
    }
}
