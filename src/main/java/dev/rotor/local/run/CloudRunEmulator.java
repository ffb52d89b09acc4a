package dev.rotor.local.run;

import com.google.cloud.run.v2.CreateServiceRequest;
import com.google.cloud.run.v2.DeleteServiceRequest;
import com.google.cloud.run.v2.GetServiceRequest;
import com.google.cloud.run.v2.ListServicesRequest;
import com.google.cloud.run.v2.ListServicesResponse;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesGrpc;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.GetOperationRequest;
import com.google.longrunning.Operation;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import static dev.rotor.local.Unary.respond;

/**
 * Cloud Run Admin v2 services, and the {@code google.longrunning.Operations} service its client polls
 * (registered by hand: its gRPC stub class is not on the classpath).
 */
public final class CloudRunEmulator extends ServicesGrpc.ServicesImplBase {
    private final CloudRunState state;

    public CloudRunEmulator(CloudRunState state) {
        this.state = state;
    }

    @Override
    public void getService(GetServiceRequest r, StreamObserver<Service> o) {
        respond(o, () -> state.get(r.getName()));
    }

    @Override
    public void createService(CreateServiceRequest r, StreamObserver<Operation> o) {
        respond(o, () -> state.createOperation(r.getParent(), r.getServiceId(), r.getService()));
    }

    @Override
    public void deleteService(DeleteServiceRequest r, StreamObserver<Operation> o) {
        respond(o, () -> state.delete(r.getName(), r.getEtag()));
    }

    /** All services of the location in one page (a page token is never needed at the emulator's sizes). */
    @Override
    public void listServices(ListServicesRequest r, StreamObserver<ListServicesResponse> o) {
        respond(o, () -> ListServicesResponse.newBuilder().addAllServices(state.list(r.getParent())).build());
    }

    @Override
    public void updateService(UpdateServiceRequest r, StreamObserver<Operation> o) {
        respond(o, () -> state.update(r.getService()));
    }

    /** {@code google.longrunning.Operations/GetOperation}. */
    public ServerServiceDefinition operations() {
        MethodDescriptor<GetOperationRequest, Operation> get = MethodDescriptor.<GetOperationRequest, Operation>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("google.longrunning.Operations", "GetOperation"))
                .setRequestMarshaller(ProtoUtils.marshaller(GetOperationRequest.getDefaultInstance()))
                .setResponseMarshaller(ProtoUtils.marshaller(Operation.getDefaultInstance())).build();
        return ServerServiceDefinition.builder("google.longrunning.Operations")
                .addMethod(get, ServerCalls.asyncUnaryCall((req, obs) -> respond(obs, () -> state.operation(req.getName()))))
                .build();
    }
}
