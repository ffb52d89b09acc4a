package dev.rotor.local;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * For tests over the emulator's loopback port: a client interceptor on the real client's channel that sees each
 * request and may replace each answer, to show what Rotor sends and what it does with an answer Google should not
 * send (a payload damaged in transit, a token that is no JWT).
 */
public final class Rewriting implements ClientInterceptor {
    private final Consumer<Object> requests;
    private final UnaryOperator<Object> answers;

    public Rewriting(Consumer<Object> requests, UnaryOperator<Object> answers) {
        this.requests = requests;
        this.answers = answers;
    }

    /** Replaces answers only. */
    public static Rewriting answers(UnaryOperator<Object> answers) {
        return new Rewriting(request -> { }, answers);
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void sendMessage(Q message) {
                requests.accept(message);
                super.sendMessage(message);
            }

            @Override
            public void start(Listener<R> listener, Metadata headers) {
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    @SuppressWarnings("unchecked")
                    public void onMessage(R message) {
                        super.onMessage((R) answers.apply(message));
                    }
                }, headers);
            }
        };
    }
}
