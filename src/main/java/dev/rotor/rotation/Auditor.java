package dev.rotor.rotation;

import dev.rotor.credential.ServiceAccountKeys;
import dev.rotor.error.RemoteException;
import dev.rotor.policy.Kind;
import dev.rotor.policy.Policy;
import dev.rotor.policy.RetirePlan;
import dev.rotor.policy.RotationState;
import dev.rotor.rotation.AuditReport.Finding;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretStore;
import dev.rotor.secret.VersionInfo;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

/**
 * The daily deep check (DESIGN §2): reads every managed secret's versions and reports drift from its policy
 * and recorded state. With repair it does only what is safe: it retires enabled versions the policy no
 * longer keeps (the step a run that died after its commit did not finish), and never touches a secret
 * whose rotation is in progress.
 */
@Singleton
public final class Auditor {
    private final SecretStore store;
    private final RotationProperties properties;
    private final Clock clock;
    private final Retirement retirement;

    private final ServiceAccountKeys keys;

    public Auditor(SecretStore store, RotationProperties properties, Clock clock, Strategies strategies,
                   ServiceAccountKeys keys) {
        this.keys = keys;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        this.retirement = new Retirement(store, strategies);
    }

    public AuditReport audit(String auditId, boolean repair) {
        Instant started = clock.instant();
        List<AuditReport.SecretAudit> results = new ArrayList<>();
        for (String project : properties.projects()) {
            for (ManagedSecret secret : store.listManaged(project)) {
                results.add(check(secret, repair));
            }
        }
        int findings = results.stream().mapToInt(r -> r.findings().size()).sum();
        int repaired = results.stream().mapToInt(r -> r.repaired().size()).sum();
        return new AuditReport(auditId, started, clock.instant(), repair,
                new AuditReport.Summary(results.size(), findings, repaired), List.copyOf(results));
    }

    private AuditReport.SecretAudit check(ManagedSecret secret, boolean repair) {
        List<Finding> findings = new ArrayList<>();
        List<String> repaired = new ArrayList<>();
        Declared d = Declared.read(secret);
        Policy policy = d.policy();
        if (!d.ok()) {
            findings.add(new Finding(policy == null ? Finding.MISCONFIGURED : Finding.UNREADABLE_STATE, d.problem()));
            return audit(secret, policy, findings, repaired);
        }
        RotationState state = d.state();
        if (Declared.cmekMissing(policy, secret)) {
            findings.add(new Finding(Finding.ENCRYPTION_MISMATCH, Declared.CMEK_MISSING));
        }
        Instant now = clock.instant();
        if (state.phase() != RotationState.Phase.IDLE && !state.leased(now)) {
            findings.add(new Finding(Finding.STALLED_ROTATION, "an attempt stopped in phase " + state.phase()
                    + "; the next run resumes it"));
        }
        if (state.current() == null) {
            return audit(secret, policy, findings, repaired);
        }
        Long alias = secret.aliases().get("current");
        if (!state.current().equals(alias)) {
            findings.add(new Finding(Finding.ALIAS_DRIFT, "alias current is " + alias + ", the state says "
                    + state.current()));
        }
        List<VersionInfo> versions = store.versions(secret.ref());
        versions.stream().filter(v -> v.number() > state.current() && v.enabled()).forEach(v -> findings.add(
                new Finding(Finding.UNCOMMITTED_VERSION, "version " + v.number() + " is newer than current "
                        + state.current() + " and was never committed")));
        if (policy.kind() == Kind.SERVICE_ACCOUNT_KEY) {
            checkKeys(policy, state, versions, now, repair, findings, repaired);
        }
        RetirePlan plan = retirement.plan(versions, secret, policy, state.current(), state.held(policy.consumers()),
                now, false);
        if (!plan.isEmpty()) {
            findings.add(new Finding(Finding.EXCESS_ENABLED_VERSIONS, "versions " + plan.disable()
                    + " should be retired and " + plan.destroy() + " destroyed under the policy"));
            if (repair && state.phase() == RotationState.Phase.IDLE && !state.leased(now)) {
                try {
                    retirement.execute(secret, plan, false, policy, state.keyIds(), state.current());
                    plan.disable().forEach(v -> repaired.add("retired version " + v));
                    plan.destroy().forEach(v -> repaired.add("destroyed version " + v));
                } catch (RemoteException e) {
                    findings.add(new Finding(Finding.EXCESS_ENABLED_VERSIONS, "repair failed: " + e.getMessage()));
                }
            }
        }
        return audit(secret, policy, findings, repaired);
    }

    /**
     * Keys on the account that no version holds (made by someone else, or left by a crash) are reported with
     * their age and never touched; keys of retired versions that still work are disabled with repair.
     */
    private void checkKeys(Policy policy, RotationState state, List<VersionInfo> versions, Instant now,
                           boolean repair, List<Finding> findings, List<String> repaired) {
        String sa = policy.serviceAccount().orElseThrow();
        Map<String, String> versionOfKey = new HashMap<>();
        state.keyIds().forEach((v, k) -> versionOfKey.put(k, v));
        for (ServiceAccountKeys.KeyInfo k : keys.userManaged(sa)) {
            String version = versionOfKey.get(k.id());
            if (version == null) {
                findings.add(new Finding(Finding.UNMANAGED_KEY, "key " + k.id() + " of " + sa + " is held by no version; "
                        + Duration.between(k.validAfter(), now).toDays() + " days old"));
                continue;
            }
            boolean retired = versions.stream().anyMatch(v -> Long.toString(v.number()).equals(version) && !v.enabled());
            if (retired && !k.disabled()) {
                findings.add(new Finding(Finding.ORPHAN_KEY, "key " + k.id() + " of retired version " + version
                        + " still works"));
                if (repair) {
                    keys.disable(sa, k.id());
                    repaired.add("disabled key " + k.id());
                }
            }
        }
    }

    private static AuditReport.SecretAudit audit(ManagedSecret s, Policy policy, List<Finding> findings,
                                                 List<String> repaired) {
        return new AuditReport.SecretAudit(s.ref().project(), s.ref().secret(),
                policy == null ? null : policy.kind().label(), List.copyOf(findings), List.copyOf(repaired));
    }
}
