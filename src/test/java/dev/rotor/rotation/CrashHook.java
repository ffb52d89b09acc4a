package dev.rotor.rotation;

import dev.rotor.secret.SecretRef;

/** Simulates a process that dies just before a chosen step: nothing after it runs, no cleanup either. */
final class CrashHook implements StepHook {
    /** Not an exception the engine catches: like a dead process, it unwinds everything. */
    static final class Crash extends Error {
        Crash(Step step) {
            super("simulated crash before " + step);
        }
    }

    private volatile Step crashAt;

    void crashAt(Step step) {
        this.crashAt = step;
    }

    @Override
    public void before(Step step, SecretRef ref) {
        if (step == crashAt) {
            throw new Crash(step);
        }
    }
}
