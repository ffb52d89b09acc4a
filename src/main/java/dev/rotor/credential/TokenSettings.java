package dev.rotor.credential;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Settings of the credential strategies.
 *
 * @param runInterval       how often Cloud Scheduler runs token refreshes (the Terraform job: every 5 min);
 *                          a token must outlive the next run, or nobody replaces it in time
 * @param permissionBudget  how long to retry PERMISSION_DENIED, which is common right after a grant
 *                          (IAM propagation takes 2 to 7 minutes, gcp-api-facts §3)
 * @param keyVerifyBudget   how long a new key may take to start working (a minute or more, §4)
 */
@ConfigurationProperties("rotor.strategies")
public record TokenSettings(
        @Bindable(defaultValue = "PT5M") Duration runInterval,
        @Bindable(defaultValue = "PT2M") Duration permissionBudget,
        @Bindable(defaultValue = "PT2M") Duration keyVerifyBudget) {
}
