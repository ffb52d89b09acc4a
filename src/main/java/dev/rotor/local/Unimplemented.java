package dev.rotor.local;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;

import java.util.Set;

/**
 * Nothing silently half-works: every method of a service's proto that the emulator does not implement answers
 * UNIMPLEMENTED with a message naming it, as a real gRPC server does for a method it lacks. The generated
 * {@code *ImplBase} classes already answer so for every method not overridden; services registered by hand
 * (KMS) get these handlers.
 */
public final class Unimplemented {
    private Unimplemented() {
    }

    /** Adds an UNIMPLEMENTED handler for each method of {@code service} not in {@code implemented}. */
    public static void addMissing(ServerServiceDefinition.Builder builder, Descriptors.ServiceDescriptor service,
                                  Set<String> implemented) {
        for (Descriptors.MethodDescriptor m : service.getMethods()) {
            if (implemented.contains(m.getName())) {
                continue;
            }
            if (m.isClientStreaming() || m.isServerStreaming()) {
                throw new IllegalStateException(m.getFullName() + " streams; only unary methods are filled in");
            }
            String fullName = MethodDescriptor.generateFullMethodName(service.getFullName(), m.getName());
            MethodDescriptor<DynamicMessage, DynamicMessage> method = MethodDescriptor
                    .<DynamicMessage, DynamicMessage>newBuilder().setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(fullName)
                    .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getInputType())))
                    .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getOutputType())))
                    .build();
            builder.addMethod(method, ServerCalls.asyncUnaryCall((request, observer) -> observer.onError(
                    Status.UNIMPLEMENTED.withDescription(message(fullName)).asRuntimeException())));
        }
    }

    public static String message(String fullMethodName) {
        return "Method " + fullMethodName + " is not implemented by Rotor's emulator (see docs/emulator.md).";
    }
}
