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
import com.google.cloud.kms.v1.KeyRing;
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

import java.util.function.Function;

import static dev.rotor.local.Statuses.invalid;
import static dev.rotor.local.Unary.respond;

/**
 * The KMS gRPC service, registered by hand from the request and response messages: the generated gRPC
 * stubs for KMS v1 are not published in versions that match the client (shared BUILD-NOTES). Encrypt and
 * Decrypt verify the CRC32C fields the client sends and return their own (gcp-api-facts §2.1, §2.2).
 */
public final class KmsEmulator {
    static final String SERVICE = "google.cloud.kms.v1.KeyManagementService";
    private final KmsState state;

    public KmsEmulator(KmsState state) {
        this.state = state;
    }

    public ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(method("CreateKeyRing", CreateKeyRingRequest.getDefaultInstance(), KeyRing.getDefaultInstance()),
                        unary(r -> {
                            state.createKeyRing(r.getParent(), r.getKeyRingId());
                            return KeyRing.newBuilder().setName(r.getParent() + "/keyRings/" + r.getKeyRingId()).build();
                        }))
                .addMethod(method("CreateCryptoKey", CreateCryptoKeyRequest.getDefaultInstance(), CryptoKey.getDefaultInstance()),
                        unary((CreateCryptoKeyRequest r) -> state.createCryptoKey(r.getParent(), r.getCryptoKeyId())))
                .addMethod(method("GetCryptoKey", GetCryptoKeyRequest.getDefaultInstance(), CryptoKey.getDefaultInstance()),
                        unary((GetCryptoKeyRequest r) -> state.get(r.getName())))
                .addMethod(method("CreateCryptoKeyVersion", CreateCryptoKeyVersionRequest.getDefaultInstance(),
                        CryptoKeyVersion.getDefaultInstance()),
                        unary((CreateCryptoKeyVersionRequest r) -> state.createVersion(r.getParent())))
                .addMethod(method("UpdateCryptoKeyPrimaryVersion", UpdateCryptoKeyPrimaryVersionRequest.getDefaultInstance(),
                        CryptoKey.getDefaultInstance()),
                        unary((UpdateCryptoKeyPrimaryVersionRequest r) -> state.setPrimary(r.getName(),
                                Integer.parseInt(r.getCryptoKeyVersionId()))))
                .addMethod(method("UpdateCryptoKeyVersion", UpdateCryptoKeyVersionRequest.getDefaultInstance(),
                        CryptoKeyVersion.getDefaultInstance()),
                        unary((UpdateCryptoKeyVersionRequest r) -> state.setState(r.getCryptoKeyVersion().getName(),
                                r.getCryptoKeyVersion().getState())))
                .addMethod(method("Encrypt", EncryptRequest.getDefaultInstance(), EncryptResponse.getDefaultInstance()),
                        unary(this::encrypt))
                .addMethod(method("Decrypt", DecryptRequest.getDefaultInstance(), DecryptResponse.getDefaultInstance()),
                        unary(this::decrypt))
                .build();
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
