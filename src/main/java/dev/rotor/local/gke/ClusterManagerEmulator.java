package dev.rotor.local.gke;

import com.google.container.v1.Cluster;
import com.google.container.v1.ClusterManagerGrpc;
import com.google.container.v1.GetClusterRequest;
import com.google.container.v1.MasterAuth;
import io.grpc.stub.StreamObserver;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.rotor.local.Statuses.notFound;
import static dev.rotor.local.Unary.respond;

/**
 * GKE's cluster manager, as far as the GKE restarter reads it: GetCluster answers the cluster's endpoint and
 * CA certificate (base64 PEM, {@code master_auth.cluster_ca_certificate}), pointing at {@link KubeApiServer}.
 */
public final class ClusterManagerEmulator extends ClusterManagerGrpc.ClusterManagerImplBase {
    private final KubeApiServer api;
    private final Set<String> clusters = ConcurrentHashMap.newKeySet();

    public ClusterManagerEmulator(KubeApiServer api) {
        this.api = api;
    }

    /** Registers {@code projects/P/locations/L/clusters/C}. */
    public void create(String cluster) {
        clusters.add(cluster);
    }

    @Override
    public void getCluster(GetClusterRequest r, StreamObserver<Cluster> o) {
        respond(o, () -> {
            if (!clusters.contains(r.getName())) {
                throw notFound("Not found: " + r.getName() + ".");
            }
            return Cluster.newBuilder().setName(r.getName().substring(r.getName().lastIndexOf('/') + 1))
                    .setEndpoint(api.endpoint(r.getName())).setStatus(Cluster.Status.RUNNING)
                    .setMasterAuth(MasterAuth.newBuilder().setClusterCaCertificate(api.caBase64Pem())).build();
        });
    }
}
