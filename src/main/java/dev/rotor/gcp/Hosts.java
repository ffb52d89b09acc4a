package dev.rotor.gcp;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;

import java.net.URI;
import java.util.Locale;

/**
 * What an endpoint ({@code host:port}, or a URL for REST clients such as Compute's) points at, judged from its text alone (no DNS lookup, which could
 * answer differently later). Google's API hosts are {@code *.googleapis.com}: the global ones, the regional
 * {@code SERVICE.LOCATION.rep.googleapis.com} (gcp-api-facts §1) and Private Service Connect names
 * {@code NAME.p.googleapis.com} (https://cloud.google.com/vpc/docs/about-accessing-google-apis-endpoints).
 */
public final class Hosts {
    private static final String GOOGLE_APIS = ".googleapis.com";

    private Hosts() {
    }

    /** {@code localhost}, {@code 127.0.0.0/8} or {@code ::1}. */
    public static boolean isLoopback(String endpoint) {
        String host = host(endpoint);
        if (host.equals("localhost")) {
            return true;
        }
        return InetAddresses.isInetAddress(host) && InetAddresses.forString(host).isLoopbackAddress();
    }

    public static boolean isGoogle(String endpoint) {
        return host(endpoint).endsWith(GOOGLE_APIS);
    }

    private static String host(String endpoint) {
        String text = endpoint.trim();
        if (text.contains("://")) {
            String host = URI.create(text).getHost();
            return host == null ? text.toLowerCase(Locale.ROOT) : host.replaceAll("^\\[|\\]$", "").toLowerCase(Locale.ROOT);
        }
        try {
            return HostAndPort.fromString(text).getHost().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return text.toLowerCase(Locale.ROOT);
        }
    }
}
