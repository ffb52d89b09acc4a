package dev.rotor.secret;

/**
 * Published (a Micronaut application event) each time a call refused with RESOURCE_EXHAUSTED is backed off
 * before it is tried again, so the metrics count quota back-offs ({@code rotor.quota.backoffs}) per Google
 * service without this package knowing of them.
 *
 * @param service the Google service that refused, as in its host name ({@code secretmanager})
 */
public record QuotaBackoff(String service) {
    public static final String SECRET_MANAGER = "secretmanager";
}
