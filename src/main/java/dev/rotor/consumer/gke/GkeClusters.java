package dev.rotor.consumer.gke;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.container.v1.Cluster;
import com.google.cloud.container.v1.ClusterManagerClient;
import dev.rotor.gcp.GoogleErrors;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes clients for GKE clusters, one per cluster. The endpoint and CA come from GKE's
 * {@code GetCluster} ({@code endpoint}, {@code master_auth.cluster_ca_certificate}: the base64 PEM a kubeconfig
 * carries as {@code certificate-authority-data}); the bearer token is Rotor's own Google access token
 * ({@code cloud-platform} scope), which GKE maps to Rotor's service account for RBAC, as
 * {@code gke-gcloud-auth-plugin} does (https://cloud.google.com/kubernetes-engine/docs/how-to/api-server-authentication).
 * The token is fetched per request, so it is refreshed as it nears expiry.
 */
@Singleton
public final class GkeClusters {
    private final ClusterManagerClient clusters;
    private final CredentialsProvider credentials;
    private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();

    public GkeClusters(ClusterManagerClient clusters, CredentialsProvider credentials) {
        this.clusters = clusters;
        this.credentials = credentials;
    }

    /** The client for {@code projects/P/locations/L/clusters/C}. */
    KubernetesClient client(String cluster) {
        return clients.computeIfAbsent(cluster, this::connect);
    }

    private KubernetesClient connect(String name) {
        Cluster cluster;
        try {
            cluster = clusters.getCluster(name);
        } catch (ApiException e) {
            throw GoogleErrors.map("GetCluster " + name, e);
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://" + cluster.getEndpoint())
                .withCaCertData(cluster.getMasterAuth().getClusterCaCertificate())
                .withOauthTokenProvider(this::token).withRequestTimeout(30_000).withConnectionTimeout(10_000)
                // fabric8 retries failed requests itself; a few quick ones, the run's own retry does the rest
                .withRequestRetryBackoffLimit(2).withRequestRetryBackoffInterval(200).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private String token() {
        try {
            var c = credentials.getCredentials();
            if (c instanceof GoogleCredentials g) {
                g.refreshIfExpired();
                return g.getAccessToken().getTokenValue();
            }
            // rotor.credentials=none: only the loopback emulator, whose fake cluster accepts any token
            return "no-credentials";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot get Rotor's access token for GKE: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        clients.values().forEach(KubernetesClient::close);
    }
}
