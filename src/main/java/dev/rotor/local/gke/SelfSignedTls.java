package dev.rotor.local.gke;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;

/**
 * A throw-away self-signed certificate for 127.0.0.1, so the emulated cluster's API server speaks TLS and
 * Rotor reaches it exactly as it reaches GKE: trusting only the CA that GetCluster returns.
 */
final class SelfSignedTls {
    final SSLContext context;
    /** The certificate as base64 of its PEM, the form of GKE's {@code master_auth.cluster_ca_certificate}. */
    final String caBase64Pem;

    SelfSignedTls(Clock clock) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            KeyPair kp = g.generateKeyPair();
            X500Name dn = new X500Name("CN=rotor-emulated-gke");
            var now = clock.instant();
            var builder = new JcaX509v3CertificateBuilder(dn, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), dn,
                    kp.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] password = "emulator".toCharArray();
            ks.setKeyEntry("server", kp.getPrivate(), password, new Certificate[]{cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                    .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
            caBase64Pem = Base64.getEncoder().encodeToString(pem.getBytes());
        } catch (Exception e) {
            throw new IllegalStateException("the emulated GKE API server could not make its certificate: "
                    + e.getMessage(), e);
        }
    }
}
