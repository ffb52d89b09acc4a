package dev.rotor.local;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

import java.util.function.Supplier;

/** Answers a unary gRPC call from a supplier; an emulator error becomes its gRPC status. */
public final class Unary {
    private Unary() {
    }

    public static <T> void respond(StreamObserver<T> observer, Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        } catch (RuntimeException e) {
            observer.onError(Status.INTERNAL.withDescription("emulator error: " + e.getClass().getSimpleName())
                    .asRuntimeException());
            return;
        }
        observer.onNext(result);
        observer.onCompleted();
    }
}
