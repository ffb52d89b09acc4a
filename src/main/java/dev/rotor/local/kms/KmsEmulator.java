package dev.rotor.local.kms;

import com.google.cloud.kms.v1.CreateCryptoKeyRequest;
import com.google.cloud.kms.v1.CreateCryptoKeyVersionRequest;
import com.google.cloud.kms.v1.CreateKeyRingRequest;
import com.google.cloud.kms.v1.CryptoKey;
import com.google.cloud.kms.v1.CryptoKeyVersion;
import com.google.cloud.kms.v1.DecryptRequest;
import com.google.cloud.kms.v1.DecryptResponse;
import com.google.cloud.kms.v1.EncryptRequest;
import com.google.cloud.kms.v1.EncryptResponse;
import com.google.cloud.kms.v1.GetCryptoKeyRequest;
import com.google.cloud.kms.v1.GetCryptoKeyVersionRequest;
import com.google.cloud.kms.v1.GetKeyRingRequest;
import com.google.cloud.kms.v1.KeyRing;
import com.google.cloud.kms.v1.KmsProto;
import com.google.cloud.kms.v1.ListCryptoKeyVersionsRequest;
import com.google.cloud.kms.v1.ListCryptoKeyVersionsResponse;
import com.google.cloud.kms.v1.ListCryptoKeysRequest;
import com.google.cloud.kms.v1.ListCryptoKeysResponse;
import com.google.cloud.kms.v1.ListKeyRingsRequest;
import com.google.cloud.kms.v1.ListKeyRingsResponse;
import com.google.cloud.kms.v1.ProtectionLevel;
import com.google.cloud.kms.v1.UpdateCryptoKeyPrimaryVersionRequest;
import com.google.cloud.kms.v1.UpdateCryptoKeyVersionRequest;
import com.google.protobuf.Int64Value;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import dev.rotor.local.Crc32c;
import io.grpc.stub.ServerCalls;

import dev.rotor.local.Page;
import dev.rotor.local.Unimplemented;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static dev.rotor.local.Statuses.invalid;
import static dev.rotor.local.Unary.respond;

/**
 * The KMS gRPC service, registered by hand from the request and response messages: the generated gRPC
 * stubs for KMS v1 are not published in versions that match the client (shared BUILD-NOTES). Besides
 * create, rotate and crypto, the read methods a consumer or Rotor may call (Get/List of key rings, keys and
 * versions) are served with KMS's shapes (service.proto): versions report SOFTWARE protection and
 * GOOGLE_SYMMETRIC_ENCRYPTION. Encrypt and
 * Decrypt verify the CRC32C fields the client sends and return their own (gcp-api-facts §2.1, §2.2).
 */
public final class KmsEmulator {
    static final String SERVICE = "google.cloud.kms.v1.KeyManagementService";
    /** KMS documents no maximum page size; 1000 is the emulator's choice (an inference). */
    static final int MAX_PAGE_SIZE = 1000;
    private final KmsState state;

    public KmsEmulator(KmsState state) {
        this.state = state;
    }

    /**
     * Every method of {@code KeyManagementService} (from the client's own proto descriptor): the ones below, and
     * UNIMPLEMENTED naming the method for the rest ({@link Unimplemented}).
     */
    public ServerServiceDefinition definition() {
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(SERVICE);
        Set<String> implemented = new HashSet<>();
        Registrar r = new Registrar(b, implemented);
        r.add("CreateKeyRing", CreateKeyRingRequest.getDefaultInstance(), KeyRing.getDefaultInstance(), q -> {
            state.createKeyRing(q.getParent(), q.getKeyRingId());
            return state.ring(q.getParent() + "/keyRings/" + q.getKeyRingId());
        });
        r.add("GetKeyRing", GetKeyRingRequest.getDefaultInstance(), KeyRing.getDefaultInstance(),
                q -> state.ring(q.getName()));
        r.add("ListKeyRings", ListKeyRingsRequest.getDefaultInstance(), ListKeyRingsResponse.getDefaultInstance(), q -> {
            unfiltered(q.getFilter(), q.getOrderBy());
            List<KeyRing> all = state.rings(q.getParent());
            Page p = Page.of(all.size(), q.getPageSize(), q.getPageToken(), MAX_PAGE_SIZE);
            return ListKeyRingsResponse.newBuilder().addAllKeyRings(all.subList(p.from(), p.to()))
                    .setNextPageToken(p.nextToken()).setTotalSize(all.size()).build();
        });
        r.add("CreateCryptoKey", CreateCryptoKeyRequest.getDefaultInstance(), CryptoKey.getDefaultInstance(),
                q -> state.createCryptoKey(q.getParent(), q.getCryptoKeyId()));
        r.add("GetCryptoKey", GetCryptoKeyRequest.getDefaultInstance(), CryptoKey.getDefaultInstance(),
                q -> state.get(q.getName()));
        r.add("ListCryptoKeys", ListCryptoKeysRequest.getDefaultInstance(), ListCryptoKeysResponse.getDefaultInstance(), q -> {
            unfiltered(q.getFilter(), q.getOrderBy());
            List<CryptoKey> all = state.keys(q.getParent());
            Page p = Page.of(all.size(), q.getPageSize(), q.getPageToken(), MAX_PAGE_SIZE);
            return ListCryptoKeysResponse.newBuilder().addAllCryptoKeys(all.subList(p.from(), p.to()))
                    .setNextPageToken(p.nextToken()).setTotalSize(all.size()).build();
        });
        r.add("CreateCryptoKeyVersion", CreateCryptoKeyVersionRequest.getDefaultInstance(),
                CryptoKeyVersion.getDefaultInstance(), q -> state.createVersion(q.getParent()));
        r.add("GetCryptoKeyVersion", GetCryptoKeyVersionRequest.getDefaultInstance(),
                CryptoKeyVersion.getDefaultInstance(), q -> state.version(q.getName()));
        r.add("ListCryptoKeyVersions", ListCryptoKeyVersionsRequest.getDefaultInstance(),
                ListCryptoKeyVersionsResponse.getDefaultInstance(), q -> {
                    unfiltered(q.getFilter(), q.getOrderBy());
                    List<CryptoKeyVersion> all = state.versions(q.getParent());
                    Page p = Page.of(all.size(), q.getPageSize(), q.getPageToken(), MAX_PAGE_SIZE);
                    return ListCryptoKeyVersionsResponse.newBuilder().addAllCryptoKeyVersions(all.subList(p.from(), p.to()))
                            .setNextPageToken(p.nextToken()).setTotalSize(all.size()).build();
                });
        r.add("UpdateCryptoKeyPrimaryVersion", UpdateCryptoKeyPrimaryVersionRequest.getDefaultInstance(),
                CryptoKey.getDefaultInstance(), q -> state.setPrimary(q.getName(), versionId(q.getCryptoKeyVersionId())));
        r.add("UpdateCryptoKeyVersion", UpdateCryptoKeyVersionRequest.getDefaultInstance(),
                CryptoKeyVersion.getDefaultInstance(),
                q -> state.setState(q.getCryptoKeyVersion().getName(), q.getCryptoKeyVersion().getState()));
        r.add("Encrypt", EncryptRequest.getDefaultInstance(), EncryptResponse.getDefaultInstance(), this::encrypt);
        r.add("Decrypt", DecryptRequest.getDefaultInstance(), DecryptResponse.getDefaultInstance(), this::decrypt);
        Unimplemented.addMissing(b, KmsProto.getDescriptor().findServiceByName("KeyManagementService"), implemented);
        return b.build();
    }

    /** Adds implemented methods and remembers their names. */
    private record Registrar(ServerServiceDefinition.Builder builder, Set<String> names) {
        <Q extends Message, R extends Message> void add(String name, Q request, R response, Function<Q, R> handler) {
            builder.addMethod(method(name, request, response), unary(handler));
            names.add(name);
        }
    }

    /** KMS list filters and orderings are not modelled: refused, never silently ignored. */
    private static void unfiltered(String filter, String orderBy) {
        if (!filter.isBlank() || !orderBy.isBlank()) {
            throw invalid("The emulator does not support filter or order_by on KMS lists.");
        }
    }

    private static int versionId(String id) {
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw invalid("Invalid crypto_key_version_id " + id + ".");
        }
    }

    private EncryptResponse encrypt(EncryptRequest r) {
        byte[] plaintext = r.getPlaintext().toByteArray();
        byte[] aad = r.getAdditionalAuthenticatedData().toByteArray();
        check(r.hasPlaintextCrc32C(), r.getPlaintextCrc32C(), plaintext, "plaintext");
        check(r.hasAdditionalAuthenticatedDataCrc32C(), r.getAdditionalAuthenticatedDataCrc32C(), aad,
                "additional_authenticated_data");
        Object[] out = state.encrypt(r.getName(), plaintext, aad);
        byte[] ciphertext = (byte[]) out[1];
        return EncryptResponse.newBuilder().setName((String) out[0]).setCiphertext(KmsState.bytes(ciphertext))
                .setCiphertextCrc32C(Int64Value.of(Crc32c.of(ciphertext)))
                .setVerifiedPlaintextCrc32C(r.hasPlaintextCrc32C())
                .setVerifiedAdditionalAuthenticatedDataCrc32C(r.hasAdditionalAuthenticatedDataCrc32C())
                .setProtectionLevel(ProtectionLevel.SOFTWARE).build();
    }

    private DecryptResponse decrypt(DecryptRequest r) {
        byte[] ciphertext = r.getCiphertext().toByteArray();
        byte[] aad = r.getAdditionalAuthenticatedData().toByteArray();
        check(r.hasCiphertextCrc32C(), r.getCiphertextCrc32C(), ciphertext, "ciphertext");
        check(r.hasAdditionalAuthenticatedDataCrc32C(), r.getAdditionalAuthenticatedDataCrc32C(), aad,
                "additional_authenticated_data");
        Object[] out = state.decrypt(r.getName(), ciphertext, aad);
        byte[] plaintext = (byte[]) out[0];
        return DecryptResponse.newBuilder().setPlaintext(KmsState.bytes(plaintext))
                .setPlaintextCrc32C(Int64Value.of(Crc32c.of(plaintext))).setUsedPrimary((Boolean) out[1])
                .setProtectionLevel(ProtectionLevel.SOFTWARE).build();
    }

    private static void check(boolean present, Int64Value sent, byte[] data, String field) {
        if (present && sent.getValue() != Crc32c.of(data)) {
            throw invalid("The checksum in field " + field + "_crc32c did not match the data in field " + field + ".");
        }
    }

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(String name, Q request, R response) {
        return MethodDescriptor.<Q, R>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response)).build();
    }

    private static <Q, R> io.grpc.ServerCallHandler<Q, R> unary(Function<Q, R> handler) {
        return ServerCalls.asyncUnaryCall((request, observer) -> respond(observer, () -> handler.apply(request)));
    }
}
