package dev.rotor.rotation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How long {@code GET /v1/secrets} reuses one listing ({@link SecretsView}), so a dashboard polling Rotor
 * does not spend the project's 600 Secret Manager reads a minute that rotations need (gcp-api-facts §1.9).
 *
 * @param listingCacheTtl how long a listing is reused; 0 lists on every call
 */
@ConfigurationProperties("rotor")
public record ListingProperties(
        @Bindable(defaultValue = ListingProperties.DEFAULT_LISTING_CACHE_TTL) Duration listingCacheTtl) {

    public static final String DEFAULT_LISTING_CACHE_TTL = "5s";

    public ListingProperties {
        if (listingCacheTtl.isNegative() || listingCacheTtl.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("rotor.listing-cache-ttl must be between 0 and 10 min, not "
                    + listingCacheTtl);
        }
    }
}
